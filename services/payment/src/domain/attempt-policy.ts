import { backoffDelayMs } from '@msa/platform/domain';

/** How the worker retries a gateway call that got no definite answer. */
export interface AttemptPolicy {
  /** Calls per job, the first included; an unanswered last one parks the job. */
  readonly maxAttempts: number;
  /** Wait after the first unanswered call, in ms; each next wait doubles. */
  readonly backoffBaseMs: number;
  /** No wait exceeds this, in ms (jitter included). */
  readonly backoffMaxMs: number;
  /** Each wait moves at random by up to this fraction of itself, so many jobs' retries spread out. */
  readonly jitter: number;
}

/** What becomes of a job whose call got no definite answer. */
export type UnansweredStep =
  /** Call again, with the same idempotency key, `delayMs` from now. */
  | { readonly state: 'pending'; readonly delayMs: number; readonly lastError: string }
  /** No more calls: the outcome stays unknown until someone looks. */
  | { readonly state: 'parked'; readonly lastError: string };

/**
 * What unanswered attempt number `attempt` (1 for the first) comes to: another call after
 * `backoffBaseMs × 2^(attempt − 1)` (±`jitter`, capped at `backoffMaxMs`), or parked after the last.
 * `random` is in [0, 1).
 */
export function afterUnanswered(attempt: number, reason: string, policy: AttemptPolicy, random: () => number): UnansweredStep {
  if (attempt >= policy.maxAttempts) return { state: 'parked', lastError: `no answer after ${attempt} attempts: ${reason}` };
  const delayMs = backoffDelayMs({ baseMs: policy.backoffBaseMs, multiplier: 2, maxMs: policy.backoffMaxMs, jitter: policy.jitter }, attempt, random);
  return { state: 'pending', delayMs, lastError: reason };
}
