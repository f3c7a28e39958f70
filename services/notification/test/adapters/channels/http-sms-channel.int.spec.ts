import { within } from '@msa/local';
import { createHttpSmsChannel, SMS_IDEMPOTENCY_HEADER } from '../../../src/adapters/channels/http-sms-channel.js';
import { loadTemplates, type Templates } from '../../../src/adapters/channels/templates.js';
import type { SmsChannel, SmsMessage } from '../../../src/ports.js';
import { sampleData } from './fixtures.js';
import { startSmsProvider, type TestSmsProvider } from './sms-provider.js';

const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'test-auth-token';
const FROM = '+15005550006';

function receipt(overrides: Partial<SmsMessage> = {}): SmsMessage {
  return {
    idempotencyKey: '0193a7c3-1a2b-7c3d-8e4f-5a6b7c8d9e0f:sms',
    template: 'payment-receipt-sms',
    data: sampleData('payment-receipt-sms'),
    to: '+821012345678',
    ...overrides,
  };
}

const signal = () => AbortSignal.timeout(10_000);

describe('HTTP SMS channel', () => {
  let templates: Templates;
  let provider: TestSmsProvider;
  let channel: SmsChannel;
  beforeAll(async () => {
    templates = await loadTemplates();
    provider = await startSmsProvider();
    channel = createHttpSmsChannel({ apiUrl: provider.url, accountId: ACCOUNT, authToken: TOKEN, from: FROM, templates, timeoutMs: 1_000 });
  });
  afterAll(async () => {
    await provider.close();
  });
  beforeEach(() => {
    provider.answer({ status: 201, body: { sid: 'SM00000000000000000000000000000001', status: 'queued' } });
  });

  it('given a receipt, when sent, then one authenticated form POST carries the number, sender, text and idempotency token, and the sid comes back', async () => {
    const before = provider.received.length;

    const outcome = await channel.send(receipt(), signal());

    expect(outcome).toEqual({ status: 'sent', providerId: 'SM00000000000000000000000000000001' });
    const request = provider.received[before];
    expect(provider.received).toHaveLength(before + 1);
    expect(request).toMatchObject({ method: 'POST', path: `/2010-04-01/Accounts/${ACCOUNT}/Messages.json` });
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers[SMS_IDEMPOTENCY_HEADER.toLowerCase()]).toBe('0193a7c3-1a2b-7c3d-8e4f-5a6b7c8d9e0f:sms');
    expect(Object.fromEntries(request?.form ?? [])).toEqual({
      To: '+821012345678',
      From: FROM,
      Body: templates.sms('payment-receipt-sms', sampleData('payment-receipt-sms')),
    });
  });

  it('given a 200 with a sid, when sent, then it is sent too', async () => {
    provider.answer({ status: 200, body: { sid: 'SM2' } });

    expect(await channel.send(receipt(), signal())).toEqual({ status: 'sent', providerId: 'SM2' });
  });

  it('given a 429 with Retry-After, when sent, then it is retried after the wait the provider asks for', async () => {
    provider.answer({ status: 429, headers: { 'retry-after': '7' }, body: { code: 20429, message: 'Too Many Requests' } });

    expect(await channel.send(receipt(), signal())).toEqual({
      status: 'retry',
      reason: 'SMS provider answered 429 error 20429: Too Many Requests',
      retryAfterMs: 7_000,
    });
  });

  it.each([408, 500, 503])('given a %i without Retry-After or a body, when sent, then it is retried on the dispatcher’s own backoff', async (status) => {
    provider.answer({ status });

    expect(await channel.send(receipt(), signal())).toEqual({ status: 'retry', reason: `SMS provider answered ${status}` });
  });

  it('given a 400 for an invalid number, when sent, then it is rejected with the provider’s code and message', async () => {
    provider.answer({ status: 400, body: { code: 21211, message: "The 'To' number +821012345678 is not a valid phone number.", status: 400 } });

    expect(await channel.send(receipt(), signal())).toEqual({
      status: 'rejected',
      reason: "SMS provider refused the message: 400 error 21211: The 'To' number +821012345678 is not a valid phone number.",
    });
  });

  it('given a 401 for the account’s credentials, when sent, then it is retried: the deployment is at fault, not the message', async () => {
    provider.answer({ status: 401, body: { code: 20003, message: 'Authenticate' } });

    expect(await channel.send(receipt(), signal())).toEqual({ status: 'retry', reason: 'SMS provider answered 401 error 20003: Authenticate' });
  });

  it('given a 201 without a sid, when sent, then it is retried: the idempotency token makes asking again safe', async () => {
    provider.answer({ status: 201, body: { status: 'queued' } });

    expect(await channel.send(receipt(), signal())).toEqual({ status: 'retry', reason: 'SMS provider answered 201 without a message sid' });
  });

  it('given a provider that never answers, when sent, then the request times out and is retried', async () => {
    provider.answer('hang');

    const outcome = await within(3_000, channel.send(receipt(), signal()));

    expect(outcome).toEqual({ status: 'retry', reason: expect.stringMatching(/^SMS provider unreachable: TimeoutError/) as unknown });
  });

  it('given a provider that never answers, when the dispatcher’s signal fires first, then the attempt ends as a retry', async () => {
    provider.answer('hang');
    const slow = createHttpSmsChannel({ apiUrl: `${provider.url}/`, accountId: ACCOUNT, authToken: TOKEN, from: FROM, templates, timeoutMs: 30_000 });

    const outcome = await within(3_000, slow.send(receipt(), AbortSignal.timeout(200)));

    expect(outcome).toEqual({ status: 'retry', reason: expect.stringMatching(/^SMS provider unreachable: TimeoutError/) as unknown });
  });

  it('given a text over three segments, when sent, then it is rejected naming the template and no request is made', async () => {
    const before = provider.received.length;
    const long = receipt({ template: 'order-cancelled-sms', data: { ...sampleData('order-cancelled-sms'), reason: 'x'.repeat(400) } });

    const outcome = await channel.send(long, signal());

    expect(outcome).toEqual({ status: 'rejected', reason: expect.stringMatching(/^template order-cancelled-sms: renders to 4 GSM-7 segments/) as unknown });
    expect(provider.received).toHaveLength(before);
  });
});

describe('HTTP SMS channel, when the provider is not there', () => {
  it('given nothing listening, when sent, then the refused connection is retried', async () => {
    const provider = await startSmsProvider();
    await provider.close();
    const templates = await loadTemplates();
    const channel = createHttpSmsChannel({ apiUrl: provider.url, accountId: ACCOUNT, authToken: TOKEN, from: FROM, templates, timeoutMs: 1_000 });

    const outcome = await within(3_000, channel.send(receipt(), signal()));

    expect(outcome).toEqual({ status: 'retry', reason: expect.stringMatching(/^SMS provider unreachable: TypeError fetch failed: .*ECONNREFUSED/) as unknown });
  });
});
