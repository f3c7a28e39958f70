import { extractTraceContext, finishesWithin, pollLoop, type ServiceWorker, withSpan } from '@msa/platform';
import type { Logger } from 'pino';
import { afterUnanswered, type AttemptPolicy, type UnansweredStep } from '../../domain/attempt-policy.js';
import type { PaymentGateway } from '../../gateway.js';
import type { ClaimedJob, PaymentJobs } from '../postgres/jobs.js';
import type { PaymentMetrics } from './metrics.js';
import type { GatewayAnswer, RecordOutcome } from './outcomes.js';

/** Options for `createProcessor`. */
export interface ProcessorOptions {
  readonly jobs: PaymentJobs;
  readonly gateway: PaymentGateway;
  readonly record: RecordOutcome;
  readonly policy: AttemptPolicy;
  readonly logger: Logger;
  readonly metrics?: PaymentMetrics;
  /** Time between looks at the queue when nothing woke the worker, in ms. */
  readonly pollIntervalMs: number;
  /** Jobs claimed, and called concurrently, per round. */
  readonly batchSize: number;
  /** Longest time one gateway call may take, in ms: then its signal aborts and its outcome counts as unknown. */
  readonly gatewayTimeoutMs: number;
  /** How long a claim lasts, in ms; longer than a call. */
  readonly leaseMs: number;
  /** @default Math.random */
  readonly random?: () => number;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

/** The payment worker: a loop the kit starts and stops, which the consumer wakes after each commit. */
export interface Processor extends ServiceWorker {
  /** Looks at the queue now rather than at the next poll. */
  wake(): void;
}

/** Settles with `work`, or rejects once `signal` aborts: an adapter that ignores its signal still ends on time. */
function within<T>(work: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => {
      reject(new Error(`${what} did not answer in time`));
    };
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', abort);
    });
  });
}

/**
 * An error that says no retry can pass (`retriable: false`, as the sandbox's refused refund says):
 * its job is parked at once rather than after every attempt. Any other error leaves the outcome
 * unknown and is retried.
 */
function isRefusal(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'retriable' in error && error.retriable === false;
}

function call(gateway: PaymentGateway, job: ClaimedJob, signal: AbortSignal): Promise<GatewayAnswer> {
  const { paymentId, orderId, userId, amount } = job;
  if (job.kind === 'charge') {
    const request = {
      idempotencyKey: orderId,
      amount,
      method: job.method,
      token: job.token,
      description: `Order ${orderId}`,
      metadata: { orderId, paymentId, userId },
    };
    return gateway.charge(request, signal).then((outcome) => ({ kind: 'charge', outcome }));
  }
  return gateway
    .refund({ idempotencyKey: `refund-${orderId}`, chargeReference: job.chargeReference, amount }, signal)
    .then((outcome) => ({ kind: 'refund', outcome }));
}

/**
 * Calls the gateway for due jobs and records each answer. No database transaction is open during a
 * call: the job was claimed, and committed, before it, and its outcome is recorded in a transaction
 * of its own after it. A call that gets no definite answer (a timeout, a transient error, a failed
 * record) is retried with the same idempotency key after a backoff, and parked after the last
 * attempt, leaving the payment initiated. `stop` lets the round in flight finish, then abandons
 * calls still running after another timeout; their jobs stay `running` until their leases end.
 */
export function createProcessor(options: ProcessorOptions): Processor {
  const { jobs, gateway, record, policy, metrics, pollIntervalMs, batchSize, gatewayTimeoutMs, leaseMs } = options;
  const random = options.random ?? Math.random;
  const clock = options.clock ?? (() => new Date());
  const log = options.logger.child({ component: 'payment-worker', gateway: gateway.name });
  const abandon = new AbortController();
  let started = false;
  let stopped: Promise<void> | undefined;

  async function attempt(job: ClaimedJob): Promise<void> {
    const where = { paymentId: job.paymentId, orderId: job.orderId, kind: job.kind, attempt: job.attempt };
    const signal = AbortSignal.any([AbortSignal.timeout(gatewayTimeoutMs), abandon.signal]);
    const began = performance.now();
    const seconds = (): number => (performance.now() - began) / 1_000;
    let reason: string;
    let retriable: boolean;
    try {
      const answer = await within(call(gateway, job, signal), signal, `the ${gateway.name} gateway`);
      await record(job, answer, clock());
      const outcome = answer.kind === 'charge' && answer.outcome.status === 'declined' ? 'declined' : 'succeeded';
      metrics?.called(job.kind, outcome, seconds());
      log.info({ ...where, outcome }, `${job.kind} recorded`);
      return;
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
      retriable = !isRefusal(error);
    }
    // Abandoned at shutdown: whether the provider acted is unknown, so the lease decides, not a guess.
    if (abandon.signal.aborted) return;
    const step: UnansweredStep = retriable ? afterUnanswered(job.attempt, reason, policy, random) : { state: 'parked', lastError: `refused: ${reason}` };
    if (!(await jobs.reschedule(job, step))) {
      log.warn(where, 'outcome not recorded: the claim expired and another worker took the job');
      return;
    }
    metrics?.called(job.kind, step.state === 'parked' ? 'parked' : 'retried', seconds());
    if (step.state === 'parked') log.error({ ...where, reason: step.lastError }, `${job.kind} parked: the gateway gave no answer, so the payment is left as it is`);
    else log.warn({ ...where, reason, delayMs: step.delayMs }, `${job.kind} will be retried with the same idempotency key`);
  }

  async function round(): Promise<boolean> {
    const claimed = await jobs.claimDue(batchSize, leaseMs);
    // Each call continues the trace of the event that asked for it, and so does its outcome's event.
    const results = await Promise.allSettled(claimed.map((job) => withSpan(`payment ${job.kind}`, extractTraceContext(job.traceHeaders), () => attempt(job))));
    for (const result of results) if (result.status === 'rejected') log.error({ err: result.reason }, 'recording a gateway call failed; the lease returns its job');
    return claimed.length === batchSize;
  }

  const polling = pollLoop({
    round,
    pollIntervalMs,
    roundFailed: (error) => {
      log.warn({ err: error }, 'claiming due payment jobs failed; trying again at the next poll');
    },
  });

  return {
    name: 'payment-worker',
    start() {
      started = true;
      polling.start();
    },
    wake() {
      polling.wake();
    },
    stop() {
      stopped ??= (async () => {
        const ended = polling.halt();
        if (!started) return;
        if (!(await finishesWithin(ended, gatewayTimeoutMs * 2))) {
          abandon.abort();
          await finishesWithin(ended, gatewayTimeoutMs);
        }
        log.info('stopped');
      })();
      return stopped;
    },
  };
}
