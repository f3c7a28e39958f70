import { randomInt, randomUUID } from 'node:crypto';
import { localServers, readSmsSinkCredentials, smsSinkClient } from '@msa/local';
import { createHttpSmsChannel } from '../../../src/adapters/channels/http-sms-channel.js';
import { loadTemplates, type Templates } from '../../../src/adapters/channels/templates.js';
import type { SmsChannel, SmsMessage } from '../../../src/ports.js';
import { sampleData } from './fixtures.js';

const sink = smsSinkClient();
const FROM = '+15005550006';
const signal = () => AbortSignal.timeout(10_000);

describe('HTTP SMS channel against the local SMS sink', () => {
  const numbers: string[] = [];
  let templates: Templates;
  let channel: SmsChannel;
  beforeAll(async () => {
    templates = await loadTemplates();
    const { accountSid, authToken } = readSmsSinkCredentials();
    channel = createHttpSmsChannel({ apiUrl: localServers().smsSinkUrl, accountId: accountSid, authToken, from: FROM, templates, timeoutMs: 5_000 });
  });
  afterAll(async () => {
    await Promise.all(numbers.map((to) => sink.clear(to)));
  });

  /** A Korean mobile number of this spec's own, so the shared sink's other messages never match. */
  const number = (): string => {
    const to = `+8210${String(randomInt(10_000_000, 99_999_999))}`;
    numbers.push(to);
    return to;
  };
  const receipt = (to: string, idempotencyKey = `${randomUUID()}:sms`): SmsMessage => ({
    idempotencyKey,
    template: 'payment-receipt-sms',
    data: sampleData('payment-receipt-sms'),
    to,
  });

  it('given a receipt, when sent, then the sink holds the rendered text from the sender under the sid it answered', async () => {
    const to = number();

    const outcome = await channel.send(receipt(to), signal());

    const [held, ...others] = await sink.messages(to);
    expect(others).toEqual([]);
    expect(outcome).toEqual({ status: 'sent', providerId: held?.sid });
    expect(held).toMatchObject({ to, from: FROM, body: templates.sms('payment-receipt-sms', sampleData('payment-receipt-sms')) });
  });

  it('given one message sent twice, when the sink sees the same idempotency token, then it keeps one text and both attempts get its sid', async () => {
    const to = number();
    const message = receipt(to);

    const first = await channel.send(message, signal());
    const second = await channel.send(message, signal());

    const held = await sink.messages(to);
    expect(held).toHaveLength(1);
    expect([first, second]).toEqual([
      { status: 'sent', providerId: held[0]?.sid },
      { status: 'sent', providerId: held[0]?.sid },
    ]);
  });

  it('given a number the sink refuses as invalid, when sent, then it is rejected with Twilio’s code', async () => {
    // Twilio's test number for "not a valid phone number", which the sink refuses alike.
    const outcome = await channel.send(receipt('+15005550001'), signal());

    expect(outcome).toEqual({ status: 'rejected', reason: expect.stringMatching(/^SMS provider refused the message: 400 error 21211: /) as unknown });
  });

  it('given a wrong auth token, when sent, then the 401 is retried and nothing is held', async () => {
    const to = number();
    const { accountSid } = readSmsSinkCredentials();
    const misconfigured = createHttpSmsChannel({ apiUrl: localServers().smsSinkUrl, accountId: accountSid, authToken: 'not-the-token', from: FROM, templates, timeoutMs: 5_000 });

    const outcome = await misconfigured.send(receipt(to), signal());

    expect(outcome).toMatchObject({ status: 'retry', reason: expect.stringMatching(/^SMS provider answered 401/) as unknown });
    expect(await sink.messages(to)).toEqual([]);
  });
});
