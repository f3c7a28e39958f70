import { randomUUID } from 'node:crypto';
import type { EventOf } from '@msa/contracts';
import { createCommandHandler, type Principal, withTransaction } from '@msa/platform';
import { configuredGateway, type GatewayFactory } from '../src/adapters/gateway/configured.js';
import { SANDBOX_TOKENS, sandboxGateway } from '../src/adapters/gateway/sandbox.js';
import { sandboxBookOn } from '../src/adapters/postgres/sandbox-book.js';
import { enqueueJob } from '../src/adapters/postgres/jobs.js';
import { paymentDecider } from '../src/domain/decide.js';
import { paymentIdFor } from '../src/domain/payment-id.js';
import { paymentStream } from '../src/domain/payment.js';
import { confirmedAgain, orderConfirmed, refundRequested } from './support/events.js';
import { eventually, SERVER_TEST_TIMEOUT_MS, startPaymentService, type TestPaymentService } from './support/service.js';

interface PaymentItem {
  readonly paymentId: string;
  readonly status: string;
  readonly gatewayReference?: string;
  readonly failure?: { readonly code: string; readonly reason: string };
  readonly refund?: { readonly reference: string; readonly at: string };
  readonly attempts: number;
}

interface JobRow {
  readonly state: string;
  readonly attempts: number;
  readonly last_error: string | null;
  readonly token: string | null;
}

const customer = (userId: string): Principal => ({ userId, email: 'minji@example.com', roles: ['customer'] });

describe('Payment service against PostgreSQL, Kafka and FerretDB, on the sandbox gateway', () => {
  let service: TestPaymentService;
  /** Order ids whose first charge reaches the sandbox and then loses its answer, as a crash before the record would. */
  const loseFirstAnswer = new Set<string>();
  /** Order ids whose charge calls never reach the sandbox, nor answer, as a provider that is down would. */
  const unreachable = new Set<string>();
  /** Gateway charge calls per idempotency key. */
  const chargeCalls = new Map<string, number>();

  const gateway: GatewayFactory = (config, pool) => {
    const sandbox = configuredGateway(config, pool);
    return {
      name: sandbox.name,
      async charge(request, signal) {
        chargeCalls.set(request.idempotencyKey, (chargeCalls.get(request.idempotencyKey) ?? 0) + 1);
        if (unreachable.has(request.idempotencyKey)) return new Promise(() => undefined);
        const outcome = await sandbox.charge(request, signal);
        if (loseFirstAnswer.delete(request.idempotencyKey)) throw new Error('the connection dropped after the provider charged');
        return outcome;
      },
      refund: (request, signal) => sandbox.refund(request, signal),
    };
  };

  beforeAll(async () => {
    service = await startPaymentService({ gateway });
  }, SERVER_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await service.close();
  }, SERVER_TEST_TIMEOUT_MS);

  const paymentsOf = async (confirmed: EventOf<'OrderConfirmed'>): Promise<PaymentItem[]> => {
    const res = await service
      .api()
      .get('/api/payments')
      .query({ orderId: confirmed.payload.orderId })
      .set('authorization', await service.bearer(customer(confirmed.payload.userId)));
    expect(res.status).toBe(200);
    return (res.body as { items: PaymentItem[] }).items;
  };

  /** The order's one payment once the read model shows it `status` (and, when given, `attempts`). */
  const paymentOnce = (confirmed: EventOf<'OrderConfirmed'>, status: string, attempts?: number) =>
    eventually(async () => {
      const [payment, ...others] = await paymentsOf(confirmed);
      return payment?.status === status && others.length === 0 && (attempts === undefined || payment.attempts === attempts) ? payment : undefined;
    });

  const jobOf = async (confirmed: EventOf<'OrderConfirmed'>, kind: 'charge' | 'refund'): Promise<JobRow | undefined> =>
    (
      await service.pool.query<JobRow>('select state, attempts, last_error, token from payment_jobs where payment_id = $1 and kind = $2', [
        paymentIdFor(confirmed.payload.orderId),
        kind,
      ])
    ).rows[0];

  const sandboxCharges = async (confirmed: EventOf<'OrderConfirmed'>): Promise<{ reference: string; status: string }[]> =>
    (await service.pool.query<{ reference: string; status: string }>('select reference, status from payment_sandbox_charges where idempotency_key = $1', [confirmed.payload.orderId]))
      .rows;

  const sandboxRefunds = async (reference: string): Promise<number> =>
    (await service.pool.query('select 1 from payment_sandbox_refunds where charge_reference = $1', [reference])).rowCount ?? 0;

  /** Resolves once the processor group has handled every one of `eventIds`. */
  const handled = (eventIds: readonly string[]) =>
    eventually(async () => {
      const { rowCount } = await service.pool.query("select 1 from consumer_inbox where consumer_group like 'payment.processor%' and event_id = any($1::uuid[])", [eventIds]);
      return rowCount === eventIds.length ? true : undefined;
    });

  const streamOf = (confirmed: EventOf<'OrderConfirmed'>) => service.eventTypesOf(paymentStream(paymentIdFor(confirmed.payload.orderId)));

  it('given a started service, when readiness is asked, then PostgreSQL, MongoDB and both consumer groups are up', async () => {
    const ready = await service.api().get('/health/ready');

    expect(ready.status).toBe(200);
    const checks = (ready.body as { checks: { name: string; status: string }[] }).checks;
    expect(checks.map((c) => [c.name.replace(/\.[0-9a-f]{12}$/, ''), c.status])).toEqual([
      ['postgres', 'up'],
      ['kafka', 'up'],
      ['mongo', 'up'],
      ['kafka-consumer:payment.read-model', 'up'],
      ['kafka-consumer:payment.processor', 'up'],
    ]);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a started service, when its OpenAPI document is asked, then both routes are in it', async () => {
    const res = await service.api().get('/openapi.json');

    expect(res.status).toBe(200);
    expect(Object.keys((res.body as { paths: Record<string, unknown> }).paths)).toEqual(expect.arrayContaining(['/api/payments', '/api/payments/{paymentId}/retry']));
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a confirmed order paid with pm_card_visa, when it is consumed, then one charge succeeds and the payment shows COMPLETED', async () => {
    const confirmed = orderConfirmed(randomUUID(), SANDBOX_TOKENS.succeeds);

    await service.publish(confirmed);

    const payment = await paymentOnce(confirmed, 'COMPLETED');
    const charges = await sandboxCharges(confirmed);
    expect(charges).toEqual([{ reference: expect.stringMatching(/^sandbox_ch_/) as unknown, status: 'succeeded' }]);
    expect(payment).toMatchObject({ paymentId: paymentIdFor(confirmed.payload.orderId), gatewayReference: charges[0]?.reference, attempts: 1 });
    expect(await streamOf(confirmed)).toEqual(['PaymentInitiated', 'PaymentCompleted']);
    // The job is over, and it forgot the token.
    expect(await jobOf(confirmed, 'charge')).toMatchObject({ state: 'done', token: null });
  }, SERVER_TEST_TIMEOUT_MS);

  it.each([
    [SANDBOX_TOKENS.declines, 'DECLINED', 'Your card was declined.'],
    [SANDBOX_TOKENS.insufficientFunds, 'INSUFFICIENT_FUNDS', 'Your card has insufficient funds.'],
  ])('given a confirmed order paid with %s, when it is consumed, then the payment FAILED with %s', async (token, code, reason) => {
    const confirmed = orderConfirmed(randomUUID(), token);

    await service.publish(confirmed);

    const payment = await paymentOnce(confirmed, 'FAILED');
    expect(payment).toMatchObject({ failure: { code, reason }, attempts: 1 });
    expect(payment.gatewayReference).toBeUndefined();
    expect(await streamOf(confirmed)).toEqual(['PaymentInitiated', 'PaymentFailed']);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a gateway that never answers, when every attempt times out, then the job is parked, the payment stays INITIATED, and /metrics counts it', async () => {
    const confirmed = orderConfirmed(randomUUID(), SANDBOX_TOKENS.neverAnswers);

    await service.publish(confirmed);

    const job = await eventually(async () => {
      const found = await jobOf(confirmed, 'charge');
      return found?.state === 'parked' ? found : undefined;
    });
    expect(job).toMatchObject({ attempts: 3, last_error: expect.stringContaining('no answer after 3 attempts') as unknown });
    expect(chargeCalls.get(confirmed.payload.orderId)).toBe(3);
    expect(await paymentOnce(confirmed, 'INITIATED', 3)).toMatchObject({ status: 'INITIATED' });
    expect(await streamOf(confirmed)).toEqual(['PaymentInitiated']);
    expect(await sandboxCharges(confirmed)).toEqual([]);
    const metrics = await service.api().get('/metrics');
    expect(metrics.text).toMatch(/payment_gateway_calls_total\{gateway="sandbox",kind="charge",outcome="parked"\} [1-9]/);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a charge parked while the provider was down, when an admin re-arms it once the provider is back, then a fresh round charges it once and the payment completes', async () => {
    const confirmed = orderConfirmed(randomUUID(), SANDBOX_TOKENS.succeeds);
    const { orderId } = confirmed.payload;
    unreachable.add(orderId);
    await service.publish(confirmed);
    await eventually(async () => ((await jobOf(confirmed, 'charge'))?.state === 'parked' ? true : undefined));
    unreachable.delete(orderId);
    const admin = await service.bearer({ userId: randomUUID(), email: 'ops@example.com', roles: ['admin'] });

    const res = await service.api().post(`/api/payments/${paymentIdFor(orderId)}/retry`).set('authorization', admin);

    expect(res.status).toBe(202);
    expect(res.body).toEqual({ paymentId: paymentIdFor(orderId), retrying: ['charge'] });
    const payment = await paymentOnce(confirmed, 'COMPLETED', 4);
    expect(chargeCalls.get(orderId)).toBe(4);
    expect(await sandboxCharges(confirmed)).toEqual([{ reference: payment.gatewayReference, status: 'succeeded' }]);
    expect(await streamOf(confirmed)).toEqual(['PaymentInitiated', 'PaymentCompleted']);
    // Nothing is parked any more, so a second re-arm is refused.
    expect((await service.api().post(`/api/payments/${paymentIdFor(orderId)}/retry`).set('authorization', admin)).status).toBe(409);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a confirmation delivered twice and sent again as a new event, when all are consumed, then the order is charged once', async () => {
    const confirmed = orderConfirmed(randomUUID(), SANDBOX_TOKENS.succeeds);

    const again = confirmedAgain(confirmed);

    await service.publish(confirmed);
    await service.publish(confirmed);
    await service.publish(again);

    await paymentOnce(confirmed, 'COMPLETED');
    await handled([confirmed.eventId, again.eventId]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await sandboxCharges(confirmed)).toHaveLength(1);
    expect(chargeCalls.get(confirmed.payload.orderId)).toBe(1);
    expect(await streamOf(confirmed)).toEqual(['PaymentInitiated', 'PaymentCompleted']);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given the answer to a charge lost after the sandbox charged, when the worker calls again with the same key, then it gets the same charge and records it once', async () => {
    const confirmed = orderConfirmed(randomUUID(), SANDBOX_TOKENS.succeeds);
    loseFirstAnswer.add(confirmed.payload.orderId);

    await service.publish(confirmed);

    const payment = await paymentOnce(confirmed, 'COMPLETED');
    const charges = await sandboxCharges(confirmed);
    expect(charges).toHaveLength(1);
    expect(chargeCalls.get(confirmed.payload.orderId)).toBe(2);
    expect(payment).toMatchObject({ gatewayReference: charges[0]?.reference, attempts: 2 });
    expect(await streamOf(confirmed)).toEqual(['PaymentInitiated', 'PaymentCompleted']);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a worker that died after the sandbox charged, its job left running under its claim, when the lease ends, then another claim calls with the same key and records that one charge', async () => {
    const confirmed = orderConfirmed(randomUUID(), SANDBOX_TOKENS.succeeds);
    const { orderId, userId, total, payment } = confirmed.payload;
    const paymentId = paymentIdFor(orderId);
    // What the earlier life left: the charge made, the payment initiated, and its job claimed for another second.
    const request = { idempotencyKey: orderId, amount: total, method: payment.method, token: payment.token, description: `Order ${orderId}`, metadata: {} };
    const charged = await sandboxGateway({ book: sandboxBookOn(service.pool) }).charge(request, new AbortController().signal);
    if (charged.status !== 'succeeded') throw new Error('expected the sandbox to charge pm_card_visa');
    const payments = createCommandHandler({ store: service.store, decider: paymentDecider });
    await payments(paymentStream(paymentId), { type: 'InitiatePayment', data: { paymentId, orderId, userId, amount: total, method: payment.method } });
    // One transaction, so the live worker never sees the job pending.
    await withTransaction(service.pool, async ({ client }) => {
      await enqueueJob(client, { paymentId, orderId, userId, amount: total, method: payment.method, kind: 'charge', token: payment.token, correlationId: confirmed.correlationId, causationId: confirmed.eventId, traceHeaders: {} });
      await client.query(
        `update payment_jobs set state = 'running', attempts = 1, claim_id = $2, claimed_until = now() + interval '1 second' where payment_id = $1 and kind = 'charge'`,
        [paymentId, randomUUID()],
      );
    });
    expect(await jobOf(confirmed, 'charge')).toMatchObject({ state: 'running', attempts: 1 });

    const settled = await eventually(async () => {
      const events = await service.store.readStream(paymentStream(paymentId));
      return events.events.length === 2 ? events.events : undefined;
    });

    expect(settled[1]).toMatchObject({ eventType: 'PaymentCompleted', payload: { gatewayReference: charged.reference } });
    expect(await sandboxCharges(confirmed)).toHaveLength(1);
    expect(await jobOf(confirmed, 'charge')).toMatchObject({ state: 'done', attempts: 2 });
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a charged order, when a new sandbox on the same database (a restart) is asked with its key, then it answers the first charge and charges nothing more', async () => {
    const confirmed = orderConfirmed(randomUUID(), SANDBOX_TOKENS.succeeds);
    await service.publish(confirmed);
    const { gatewayReference } = await paymentOnce(confirmed, 'COMPLETED');
    const { orderId, total, payment } = confirmed.payload;

    const restarted = sandboxGateway({ book: sandboxBookOn(service.pool) });
    const request = { idempotencyKey: orderId, amount: total, method: payment.method, token: payment.token, description: `Order ${orderId}`, metadata: {} };

    expect(await restarted.charge(request, new AbortController().signal)).toEqual({ status: 'succeeded', reference: gatewayReference });
    expect(await sandboxCharges(confirmed)).toHaveLength(1);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a completed payment, when its refund is requested twice and again as a new event, then one refund is made and the payment shows REFUNDED', async () => {
    const confirmed = orderConfirmed(randomUUID(), SANDBOX_TOKENS.succeeds);
    await service.publish(confirmed);
    const { gatewayReference } = await paymentOnce(confirmed, 'COMPLETED');
    const refund = refundRequested(confirmed);

    const refundAgain = { ...refund, eventId: randomUUID() };

    await service.publish(refund);
    await service.publish(refund);
    await service.publish(refundAgain);

    const payment = await paymentOnce(confirmed, 'REFUNDED');
    await handled([refund.eventId, refundAgain.eventId]);
    expect(payment.refund?.reference).toMatch(/^sandbox_re_/);
    expect(payment.gatewayReference).toBe(gatewayReference);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await sandboxRefunds(gatewayReference ?? '')).toBe(1);
    expect(await streamOf(confirmed)).toEqual(['PaymentInitiated', 'PaymentCompleted', 'PaymentRefunded']);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a declined payment, when its refund is requested, then nothing is refunded and no refund is queued', async () => {
    const confirmed = orderConfirmed(randomUUID(), SANDBOX_TOKENS.declines);
    await service.publish(confirmed);
    await paymentOnce(confirmed, 'FAILED');

    const refund = refundRequested(confirmed, 'LATE_PAYMENT');

    await service.publish(refund);

    await handled([refund.eventId]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await jobOf(confirmed, 'refund')).toBeUndefined();
    expect(await streamOf(confirmed)).toEqual(['PaymentInitiated', 'PaymentFailed']);
  }, SERVER_TEST_TIMEOUT_MS);

  it("given another customer, when asking for the order's payments, then 403", async () => {
    const confirmed = orderConfirmed(randomUUID(), SANDBOX_TOKENS.succeeds);
    await service.publish(confirmed);
    await paymentOnce(confirmed, 'COMPLETED');

    const res = await service
      .api()
      .get('/api/payments')
      .query({ orderId: confirmed.payload.orderId })
      .set('authorization', await service.bearer(customer(randomUUID())));

    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  }, SERVER_TEST_TIMEOUT_MS);
});
