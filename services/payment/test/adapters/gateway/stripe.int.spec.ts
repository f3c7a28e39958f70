import { fileURLToPath } from 'node:url';
import { startStallingProxy, startStripeMock, STRIPE_MOCK_API_KEY, type StripeMock, within } from '@msa/local';
import { stripeClient, stripeGateway } from '../../../src/adapters/gateway/stripe.js';
import { type ChargeRequest, GatewayUnavailableError, type PaymentGateway } from '../../../src/gateway.js';
import { type RecordingProxy, startRecordingProxy } from './recording-proxy.js';

// stripe-mock keeps nothing and answers from fixtures: these are a PaymentIntent and a refund as Stripe
// answers a confirmed `pm_card_visa` charge and its refund. What it does check is every request against
// Stripe's OpenAPI spec: a parameter the API does not have, or of the wrong type, is a 400.
const FIXTURES = fileURLToPath(new URL('stripe-mock-fixtures.json', import.meta.url));

function chargeOf(orderId: string, overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  return {
    idempotencyKey: orderId,
    amount: { amountMinor: 12_500, currency: 'KRW' },
    method: 'CARD',
    token: 'pm_card_visa',
    description: `Order ${orderId}`,
    metadata: { orderId, paymentId: 'b9d1f1c8-5f5e-5b8e-9a39-1f2d3c4b5a69', userId: 'c0ffee00-0000-4000-8000-000000000001' },
    ...overrides,
  };
}

const live = () => new AbortController().signal;

describe('Stripe gateway on stripe-mock', () => {
  let mock: StripeMock;
  let proxy: RecordingProxy;
  let gateway: PaymentGateway;

  beforeAll(async () => {
    mock = await startStripeMock({ fixtures: FIXTURES });
    proxy = await startRecordingProxy(mock.url);
    gateway = stripeGateway(stripeClient({ apiKey: STRIPE_MOCK_API_KEY, apiBase: proxy.url, timeoutMs: 5_000 }));
  });

  afterAll(async () => {
    await proxy.close();
    await mock.stop();
  });

  const lastRequest = () => proxy.requests.at(-1);

  it('given a card token, when charged, then one confirmed PaymentIntent is created with the order id as its idempotency key, and it succeeded', async () => {
    const before = proxy.requests.length;

    const outcome = await gateway.charge(chargeOf('order-1'), live());

    expect(outcome).toEqual({ status: 'succeeded', reference: expect.stringMatching(/^pi_/) as unknown });
    expect(proxy.requests).toHaveLength(before + 1);
    const request = lastRequest();
    expect(request).toMatchObject({ method: 'POST', path: '/v1/payment_intents' });
    expect(request?.headers['idempotency-key']).toBe('order-1');
    expect(Object.fromEntries(request?.form ?? [])).toEqual({
      amount: '12500',
      currency: 'krw',
      payment_method: 'pm_card_visa',
      confirm: 'true',
      capture_method: 'automatic',
      error_on_requires_action: 'true',
      'automatic_payment_methods[enabled]': 'false',
      'allowed_payment_method_types[0]': 'card',
      description: 'Order order-1',
      'metadata[orderId]': 'order-1',
      'metadata[paymentId]': 'b9d1f1c8-5f5e-5b8e-9a39-1f2d3c4b5a69',
      'metadata[userId]': 'c0ffee00-0000-4000-8000-000000000001',
    });
  });

  it('given the same order charged again, when retried, then the same idempotency key goes with the same request', async () => {
    await gateway.charge(chargeOf('order-2'), live());
    const first = lastRequest();
    await gateway.charge(chargeOf('order-2'), live());
    const second = lastRequest();

    expect(second?.headers['idempotency-key']).toBe('order-2');
    expect(second?.form.toString()).toBe(first?.form.toString());
  });

  it('given a charged intent, when refunded, then one refund of that intent is created under the refund key', async () => {
    const outcome = await gateway.refund(
      { idempotencyKey: 'refund-order-3', chargeReference: 'pi_3QkCharged', amount: { amountMinor: 12_500, currency: 'KRW' } },
      live(),
    );

    expect(outcome).toEqual({ reference: expect.stringMatching(/^re_/) as unknown });
    const request = lastRequest();
    expect(request).toMatchObject({ method: 'POST', path: '/v1/refunds' });
    expect(request?.headers['idempotency-key']).toBe('refund-order-3');
    expect(Object.fromEntries(request?.form ?? [])).toEqual({ payment_intent: 'pi_3QkCharged', amount: '12500' });
  });

  it('given a bank transfer, when charged, then it is declined without asking Stripe', async () => {
    const before = proxy.requests.length;

    const outcome = await gateway.charge(chargeOf('order-4', { method: 'BANK_TRANSFER' }), live());

    expect(outcome).toMatchObject({ status: 'declined', code: 'DECLINED' });
    expect(proxy.requests).toHaveLength(before);
  });

  it('given a key Stripe refuses, when charged, then its error is thrown as it is, not as an unknown outcome', async () => {
    const refused = stripeGateway(stripeClient({ apiKey: 'sk_live_unknown', apiBase: mock.url, timeoutMs: 5_000 }));

    const error: unknown = await refused.charge(chargeOf('order-5'), live()).catch((thrown: unknown) => thrown);

    expect(error).not.toBeInstanceOf(GatewayUnavailableError);
    expect(error).toHaveProperty('statusCode', 401);
  });

  it('given nothing listening, when charged, then the outcome is unknown', async () => {
    const stopped = await startStripeMock({ fixtures: FIXTURES });
    await stopped.stop();
    const unreachable = stripeGateway(stripeClient({ apiKey: STRIPE_MOCK_API_KEY, apiBase: stopped.url, timeoutMs: 5_000 }));

    await expect(unreachable.charge(chargeOf('order-6'), live())).rejects.toThrow(GatewayUnavailableError);
  });

  describe('given a Stripe that stops answering', () => {
    const port = () => Number(new URL(mock.url).port);

    it('when a charge outlives the client timeout, then the outcome is unknown, within about that timeout', async () => {
      const stalled = await startStallingProxy('127.0.0.1', port());
      stalled.freeze();
      try {
        const slow = stripeGateway(stripeClient({ apiKey: STRIPE_MOCK_API_KEY, apiBase: `http://127.0.0.1:${stalled.port}`, timeoutMs: 300 }));

        await expect(within(3_000, slow.charge(chargeOf('order-7'), live()))).rejects.toThrow(
          'Stripe gave no definite answer: Request aborted due to timeout being reached (300ms)',
        );
      } finally {
        await stalled.close();
      }
    });

    it('when the caller abandons the call first, then the outcome is unknown at once', async () => {
      const stalled = await startStallingProxy('127.0.0.1', port());
      stalled.freeze();
      try {
        const slow = stripeGateway(stripeClient({ apiKey: STRIPE_MOCK_API_KEY, apiBase: `http://127.0.0.1:${stalled.port}`, timeoutMs: 30_000 }));

        await expect(within(3_000, slow.refund({ idempotencyKey: 'refund-order-8', chargeReference: 'pi_1', amount: { amountMinor: 1, currency: 'USD' } }, AbortSignal.timeout(200)))).rejects.toThrow(
          'the Stripe call was abandoned before it answered',
        );
      } finally {
        await stalled.close();
      }
    });
  });

  it('given an API base with a path, when the client is built, then it refuses it, since the SDK can only take an origin', () => {
    expect(() => stripeClient({ apiKey: STRIPE_MOCK_API_KEY, apiBase: 'https://proxy.example/stripe', timeoutMs: 1_000 })).toThrow(
      'STRIPE_API_BASE must be a bare origin',
    );
  });
});
