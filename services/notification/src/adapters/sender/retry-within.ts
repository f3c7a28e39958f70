import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelayMs } from '@msa/platform/domain';

/** Options for `retryWithin`. */
export interface RetryWithinOptions {
  /** A `performance.now()` time no try starts after: past it, trying again is no use to the caller. */
  readonly until: number;
  /** Ends the waiting at once: the caller is giving up. */
  readonly signal: AbortSignal;
  /** Whether another try can succeed; any other failure rejects at once. */
  readonly retriable: (error: unknown) => boolean;
  /** Told of each failure that is tried again, and after how long. */
  readonly failed: (error: unknown, failures: number, delayMs: number) => void;
  readonly random: () => number;
}

// A PostgreSQL restart takes seconds: the first tries are quick, later ones no more than a few a second.
const backoff = { baseMs: 100, multiplier: 2, maxMs: 2_000, jitter: 0.2 };

/**
 * Runs `step` until it succeeds, with backoff, while its failures are retriable, a next try could
 * start before `until` and `signal` is not aborted; then rejects with the last failure.
 */
export async function retryWithin<T>(step: () => Promise<T>, { until, signal, retriable, failed, random }: RetryWithinOptions): Promise<T> {
  for (let failures = 1; ; failures++) {
    try {
      return await step();
    } catch (error) {
      const delayMs = backoffDelayMs(backoff, failures, random);
      if (!retriable(error) || signal.aborted || performance.now() + delayMs >= until) throw error;
      failed(error, failures, delayMs);
      try {
        await sleep(delayMs, undefined, { signal });
      } catch {
        throw error;
      }
    }
  }
}
