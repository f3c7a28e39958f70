import { eventually } from '@msa/local';
import { createLogger } from '@msa/platform';
import type { UnansweredStep } from '../../../src/domain/attempt-policy.js';
import type { ClaimedJob, PaymentJobs } from '../../../src/adapters/postgres/jobs.js';
import type { CallOutcome } from '../../../src/adapters/worker/metrics.js';
import type { GatewayAnswer } from '../../../src/adapters/worker/outcomes.js';
import { createProcessor } from '../../../src/adapters/worker/processor.js';
import type { ChargeRequest, PaymentGateway, RefundRequest } from '../../../src/gateway.js';
import { GatewayUnavailableError } from '../../../src/gateway.js';

const base = {
  paymentId: '2b6f0c4e-8d1a-5e3b-9c7f-1a2b3c4d5e6f',
  orderId: '7c1e9a2b-3d4f-4a5b-8c6d-9e0f1a2b3c4d',
  userId: '6f1c2b7e-1d2a-4c3b-9a8e-2f1e0d9c8b7a',
  amount: { amountMinor: 91_800, currency: 'KRW' },
  method: 'CARD',
  correlationId: 'c-1',
  causationId: 'e-1',
  traceHeaders: {},
  claimId: 'claim-1',
} as const;

const charge = (attempt = 1): ClaimedJob => ({ ...base, kind: 'charge', token: 'pm_card_visa', attempt });
const refund = (): ClaimedJob => ({ ...base, kind: 'refund', chargeReference: 'sandbox_ch_1', attempt: 1 });

/** A queue that hands out `jobs` once and keeps what became of them. */
function queueOf(jobs: ClaimedJob[]): PaymentJobs & { readonly rescheduled: UnansweredStep[] } {
  const rescheduled: UnansweredStep[] = [];
  return {
    rescheduled,
    claimDue: (limit) => Promise.resolve(jobs.splice(0, limit)),
    reschedule(_job, step) {
      rescheduled.push(step);
      return Promise.resolve(true);
    },
  };
}

/** A gateway answering by `charge` and `refund`, keeping each request. */
function gatewayOf(answers: {
  charge?: (request: ChargeRequest, signal: AbortSignal) => ReturnType<PaymentGateway['charge']>;
  refund?: (request: RefundRequest, signal: AbortSignal) => ReturnType<PaymentGateway['refund']>;
}): PaymentGateway & { readonly charges: ChargeRequest[]; readonly refunds: RefundRequest[] } {
  const charges: ChargeRequest[] = [];
  const refunds: RefundRequest[] = [];
  return {
    name: 'fake',
    charges,
    refunds,
    charge(request, signal) {
      charges.push(request);
      return answers.charge?.(request, signal) ?? Promise.resolve({ status: 'succeeded', reference: 'ch_1' });
    },
    refund(request, signal) {
      refunds.push(request);
      return answers.refund?.(request, signal) ?? Promise.resolve({ reference: 're_1' });
    },
  };
}

const policy = { maxAttempts: 3, backoffBaseMs: 1_000, backoffMaxMs: 5_000, jitter: 0 };

function processorFor(jobs: PaymentJobs, gateway: PaymentGateway, record: (job: ClaimedJob, answer: GatewayAnswer) => Promise<void>) {
  const counted: CallOutcome[] = [];
  const processor = createProcessor({
    jobs,
    gateway,
    record,
    policy,
    logger: createLogger({ service: 'payment-spec', level: 'silent' }),
    metrics: {
      called: (_kind, outcome) => {
        counted.push(outcome);
      },
    },
    pollIntervalMs: 20,
    batchSize: 5,
    gatewayTimeoutMs: 100,
    leaseMs: 1_000,
  });
  return { processor, counted };
}

describe('Payment worker', () => {
  it('given a due charge, when the gateway charges it, then the call is keyed by the order id and the answer recorded', async () => {
    const recorded: GatewayAnswer[] = [];
    const gateway = gatewayOf({});
    const { processor, counted } = processorFor(queueOf([charge()]), gateway, (_job, answer) => {
      recorded.push(answer);
      return Promise.resolve();
    });

    processor.start();
    await eventually(() => Promise.resolve(recorded.length > 0 ? true : undefined));
    await processor.stop();

    expect(gateway.charges).toEqual([
      {
        idempotencyKey: base.orderId,
        amount: base.amount,
        method: 'CARD',
        token: 'pm_card_visa',
        description: `Order ${base.orderId}`,
        metadata: { orderId: base.orderId, paymentId: base.paymentId, userId: base.userId },
      },
    ]);
    expect(recorded).toEqual([{ kind: 'charge', outcome: { status: 'succeeded', reference: 'ch_1' } }]);
    expect(counted).toEqual(['succeeded']);
  });

  it('given a due refund, when the gateway refunds it, then the call carries its own key and the charge reference', async () => {
    const recorded: GatewayAnswer[] = [];
    const gateway = gatewayOf({});
    const { processor } = processorFor(queueOf([refund()]), gateway, (_job, answer) => {
      recorded.push(answer);
      return Promise.resolve();
    });

    processor.start();
    await eventually(() => Promise.resolve(recorded.length > 0 ? true : undefined));
    await processor.stop();

    expect(gateway.refunds).toEqual([{ idempotencyKey: `refund-${base.orderId}`, chargeReference: 'sandbox_ch_1', amount: base.amount }]);
    expect(recorded).toEqual([{ kind: 'refund', outcome: { reference: 're_1' } }]);
  });

  it('given a gateway that ignores its signal, when the timeout passes, then the call is given up and retried later', async () => {
    const queue = queueOf([charge()]);
    const gateway = gatewayOf({ charge: () => new Promise(() => undefined) });
    const { processor, counted } = processorFor(queue, gateway, () => Promise.reject(new Error('never recorded')));

    const began = Date.now();
    processor.start();
    await eventually(() => Promise.resolve(queue.rescheduled.length > 0 ? true : undefined));
    await processor.stop();

    expect(Date.now() - began).toBeLessThan(1_000);
    expect(queue.rescheduled).toEqual([{ state: 'pending', delayMs: 1_000, lastError: 'the fake gateway did not answer in time' }]);
    expect(counted).toEqual(['retried']);
  });

  it('given the last attempt unanswered, when the gateway is unavailable, then the job is parked', async () => {
    const queue = queueOf([charge(3)]);
    const gateway = gatewayOf({ charge: () => Promise.reject(new GatewayUnavailableError('503 from the provider')) });
    const { processor, counted } = processorFor(queue, gateway, () => Promise.resolve());

    processor.start();
    await eventually(() => Promise.resolve(queue.rescheduled.length > 0 ? true : undefined));
    await processor.stop();

    expect(queue.rescheduled).toEqual([{ state: 'parked', lastError: 'no answer after 3 attempts: 503 from the provider' }]);
    expect(counted).toEqual(['parked']);
  });

  it('given an error that says no retry can pass, when it is thrown, then the job is parked at once', async () => {
    const queue = queueOf([refund()]);
    const refused = Object.assign(new Error('no succeeded charge sandbox_ch_1 to refund'), { retriable: false });
    const { processor, counted } = processorFor(queue, gatewayOf({ refund: () => Promise.reject(refused) }), () => Promise.resolve());

    processor.start();
    await eventually(() => Promise.resolve(queue.rescheduled.length > 0 ? true : undefined));
    await processor.stop();

    expect(queue.rescheduled).toEqual([{ state: 'parked', lastError: 'refused: no succeeded charge sandbox_ch_1 to refund' }]);
    expect(counted).toEqual(['parked']);
  });

  it('given a definite answer whose record fails, when the worker goes on, then the job is retried, to get the same answer again', async () => {
    const queue = queueOf([charge()]);
    const { processor } = processorFor(queue, gatewayOf({}), () => Promise.reject(new Error('connection terminated')));

    processor.start();
    await eventually(() => Promise.resolve(queue.rescheduled.length > 0 ? true : undefined));
    await processor.stop();

    expect(queue.rescheduled).toEqual([{ state: 'pending', delayMs: 1_000, lastError: 'connection terminated' }]);
  });

  it('given a decline, when it is recorded, then it counts as declined', async () => {
    const gateway = gatewayOf({ charge: () => Promise.resolve({ status: 'declined', code: 'INSUFFICIENT_FUNDS', reason: 'short' }) });
    const recorded: GatewayAnswer[] = [];
    const { processor, counted } = processorFor(queueOf([charge()]), gateway, (_job, answer) => {
      recorded.push(answer);
      return Promise.resolve();
    });

    processor.start();
    await eventually(() => Promise.resolve(recorded.length > 0 ? true : undefined));
    await processor.stop();

    expect(counted).toEqual(['declined']);
  });
});
