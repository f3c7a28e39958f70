import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { EventOf } from '@msa/contracts';
import type { Principal } from '@msa/platform';
import { startStripeMock, STRIPE_MOCK_API_KEY, type StripeMock } from '@msa/local';
import { paymentIdFor } from '../src/domain/payment-id.js';
import { paymentStream } from '../src/domain/payment.js';
import { orderConfirmed, refundRequested } from './support/events.js';
import { eventually, SERVER_TEST_TIMEOUT_MS, startPaymentService, type TestPaymentService } from './support/service.js';

// A PaymentIntent and a refund as Stripe answers a confirmed pm_card_visa charge and its refund:
// stripe-mock keeps nothing and answers every request from these.
const FIXTURES = fileURLToPath(new URL('adapters/gateway/stripe-mock-fixtures.json', import.meta.url));

interface PaymentItem {
  readonly status: string;
  readonly gatewayReference?: string;
  readonly refund?: { readonly reference: string };
  readonly attempts: number;
}

const customer = (userId: string): Principal => ({ userId, email: 'minji@example.com', roles: ['customer'] });

describe('Payment service on PAYMENT_GATEWAY=stripe, against a stripe-mock', () => {
  let mock: StripeMock;
  let service: TestPaymentService;

  beforeAll(async () => {
    mock = await startStripeMock({ fixtures: FIXTURES });
    service = await startPaymentService({
      environment: {
        PAYMENT_GATEWAY: 'stripe',
        STRIPE_API_KEY: STRIPE_MOCK_API_KEY,
        STRIPE_API_BASE: mock.url,
        PAYMENT_GATEWAY_TIMEOUT: '2s',
        PAYMENT_LEASE: '5s',
      },
    });
  }, SERVER_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await service.close();
    await mock.stop();
  }, SERVER_TEST_TIMEOUT_MS);

  const paymentOnce = (confirmed: EventOf<'OrderConfirmed'>, status: string) =>
    eventually(async () => {
      const res = await service
        .api()
        .get('/api/payments')
        .query({ orderId: confirmed.payload.orderId })
        .set('authorization', await service.bearer(customer(confirmed.payload.userId)));
      const [payment] = (res.body as { items: PaymentItem[] }).items;
      return payment?.status === status ? payment : undefined;
    });

  const streamOf = (confirmed: EventOf<'OrderConfirmed'>) => service.eventTypesOf(paymentStream(paymentIdFor(confirmed.payload.orderId)));

  it('given a confirmed order paid with pm_card_visa, when it is consumed, then the Stripe adapter charges it and the payment shows COMPLETED with the PaymentIntent', async () => {
    const confirmed = orderConfirmed(randomUUID(), 'pm_card_visa');

    await service.publish(confirmed);

    const payment = await paymentOnce(confirmed, 'COMPLETED');
    expect(payment).toMatchObject({ gatewayReference: expect.stringMatching(/^pi_/) as unknown, attempts: 1 });
    expect(await streamOf(confirmed)).toEqual(['PaymentInitiated', 'PaymentCompleted']);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a completed payment, when its refund is requested, then Stripe refunds it and the payment shows REFUNDED with the refund', async () => {
    const confirmed = orderConfirmed(randomUUID(), 'pm_card_visa');
    await service.publish(confirmed);
    const { gatewayReference } = await paymentOnce(confirmed, 'COMPLETED');

    await service.publish(refundRequested(confirmed));

    const payment = await paymentOnce(confirmed, 'REFUNDED');
    expect(payment).toMatchObject({ gatewayReference, refund: { reference: expect.stringMatching(/^re_/) as unknown } });
    expect(await streamOf(confirmed)).toEqual(['PaymentInitiated', 'PaymentCompleted', 'PaymentRefunded']);
  }, SERVER_TEST_TIMEOUT_MS);
});
