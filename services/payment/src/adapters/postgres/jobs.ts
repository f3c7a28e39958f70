import { randomUUID } from 'node:crypto';
import type { Currency, Money, PaymentMethod } from '@msa/contracts';
import type { UnansweredStep } from '../../domain/attempt-policy.js';
import type { Queryable } from './queryable.js';

interface JobBase {
  readonly paymentId: string;
  readonly orderId: string;
  readonly userId: string;
  readonly amount: Money;
  readonly method: PaymentMethod;
  /** The flow the request belongs to, and the event that asked: stamped on the outcome's event. */
  readonly correlationId: string;
  readonly causationId: string;
  /** The trace context of the event that asked, as message headers (`traceparent`, …). */
  readonly traceHeaders: Readonly<Record<string, string>>;
}

/** A gateway call the worker owes: a charge of `token`, or the refund of a succeeded charge. */
export type PaymentJob =
  | (JobBase & { readonly kind: 'charge'; readonly token: string })
  | (JobBase & { readonly kind: 'refund'; readonly chargeReference: string });

/** A job the worker claimed: due, and its own until `claimId`'s lease ends. */
export type ClaimedJob = PaymentJob & {
  readonly claimId: string;
  /** This attempt's number in its round, 1 for the first. */
  readonly attempt: number;
};

interface JobRow {
  readonly payment_id: string;
  readonly kind: PaymentJob['kind'];
  readonly order_id: string;
  readonly user_id: string;
  readonly amount_minor: string;
  readonly currency: Currency;
  readonly method: PaymentMethod;
  readonly token: string | null;
  readonly charge_reference: string | null;
  readonly correlation_id: string;
  readonly causation_id: string;
  readonly trace_headers: Readonly<Record<string, string>>;
  readonly claim_id: string;
  readonly attempts: number;
  readonly round_start: number;
}

/** The queue as the worker uses it. */
export interface PaymentJobs {
  /** Claims up to `limit` due jobs for `leaseMs`, counting the attempt. */
  claimDue(limit: number, leaseMs: number): Promise<ClaimedJob[]>;
  /** Records an unanswered attempt; false when the claim was lost (its lease ended and another took it). */
  reschedule(job: ClaimedJob, step: UnansweredStep): Promise<boolean>;
}

/** Records a job, once: a request seen before inserts nothing. Returns whether it is new. */
export async function enqueueJob(db: Queryable, job: PaymentJob): Promise<boolean> {
  const { rowCount } = await db.query(
    `insert into payment_jobs
       (payment_id, kind, order_id, user_id, amount_minor, currency, method, token, charge_reference, correlation_id, causation_id, trace_headers, state)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'pending') on conflict (payment_id, kind) do nothing`,
    [
      job.paymentId,
      job.kind,
      job.orderId,
      job.userId,
      job.amount.amountMinor,
      job.amount.currency,
      job.method,
      job.kind === 'charge' ? job.token : null,
      job.kind === 'refund' ? job.chargeReference : null,
      job.correlationId,
      job.causationId,
      job.traceHeaders,
    ],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * Ends a job whose call got a definite answer, under its claim; the token is forgotten. Runs in the
 * transaction that records the outcome's event, so the two commit together. False when the claim was
 * lost: the event was recorded all the same, since the key gives any later attempt the same answer.
 */
export async function finishJob(db: Queryable, job: ClaimedJob): Promise<boolean> {
  const { rowCount } = await db.query(
    `update payment_jobs set state = 'done', token = null, last_error = null, claim_id = null, claimed_until = null,
       finished_at = now(), updated_at = now()
     where payment_id = $1 and kind = $2 and claim_id = $3 and state = 'running'`,
    [job.paymentId, job.kind, job.claimId],
  );
  return (rowCount ?? 0) > 0;
}

/** How many gateway calls each payment's charge has taken so far. */
export async function chargeAttempts(db: Queryable, paymentIds: readonly string[]): Promise<Map<string, number>> {
  if (paymentIds.length === 0) return new Map();
  const { rows } = await db.query<{ payment_id: string; attempts: number }>(
    `select payment_id, attempts from payment_jobs where kind = 'charge' and payment_id = any($1::uuid[])`,
    [paymentIds],
  );
  return new Map(rows.map((row) => [row.payment_id, row.attempts]));
}

/**
 * Makes a payment's parked jobs due again, for a fresh round of attempts under the same idempotency
 * keys (the provider answers a key it answered before as it did then). Returns the kinds re-armed.
 */
export async function rearmParked(db: Queryable, paymentId: string): Promise<PaymentJob['kind'][]> {
  const { rows } = await db.query<{ kind: PaymentJob['kind'] }>(
    `update payment_jobs set state = 'pending', round_start = attempts, next_attempt_at = now(), finished_at = null, updated_at = now()
     where payment_id = $1 and state = 'parked'
     returning kind`,
    [paymentId],
  );
  return rows.map((row) => row.kind).sort();
}

const claimStatement = `
with due as (
  select payment_id, kind from payment_jobs
  where (state = 'pending' and next_attempt_at <= now()) or (state = 'running' and claimed_until <= now())
  order by next_attempt_at
  limit $1
  for update skip locked
)
update payment_jobs j
set state = 'running', attempts = j.attempts + 1, claim_id = $2, claimed_until = now() + $3::float8 * interval '1 millisecond', updated_at = now()
from due where j.payment_id = due.payment_id and j.kind = due.kind
returning j.*`;

function toJob(row: JobRow): ClaimedJob {
  const base = {
    paymentId: row.payment_id,
    orderId: row.order_id,
    userId: row.user_id,
    amount: { amountMinor: Number(row.amount_minor), currency: row.currency },
    method: row.method,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    traceHeaders: row.trace_headers,
    claimId: row.claim_id,
    attempt: row.attempts - row.round_start,
  };
  if (row.kind === 'charge') return { ...base, kind: 'charge', token: row.token ?? '' };
  return { ...base, kind: 'refund', chargeReference: row.charge_reference ?? '' };
}

/** The queue on PostgreSQL; claims use `for update skip locked`, so replicas share the work. */
export function jobsOn(db: Queryable): PaymentJobs {
  return {
    async claimDue(limit, leaseMs) {
      const { rows } = await db.query<JobRow>(claimStatement, [limit, randomUUID(), leaseMs]);
      return rows.map(toJob);
    },
    async reschedule(job, step) {
      const outcome =
        step.state === 'pending'
          ? { set: `state = 'pending', next_attempt_at = now() + $5::float8 * interval '1 millisecond'`, parameters: [step.delayMs] }
          : { set: `state = 'parked', finished_at = now()`, parameters: [] };
      const { rowCount } = await db.query(
        `update payment_jobs set ${outcome.set}, last_error = $4, claim_id = null, claimed_until = null, updated_at = now()
         where payment_id = $1 and kind = $2 and claim_id = $3 and state = 'running'`,
        [job.paymentId, job.kind, job.claimId, step.lastError, ...outcome.parameters],
      );
      return (rowCount ?? 0) > 0;
    },
  };
}
