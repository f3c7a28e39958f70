import { backoffDelayMs } from '@msa/platform/domain';
import type { SendOutcome } from '../ports.js';

/** How the sender retries a message the provider did not take. */
export interface DeliveryPolicy {
  /** Attempts per delivery, the first included; the last failing one parks it as `failed`. */
  readonly maxAttempts: number;
  /** Wait after the first failed attempt, in ms; each next wait doubles. */
  readonly backoffBaseMs: number;
  /** No wait exceeds this, in ms (jitter included). */
  readonly backoffMaxMs: number;
  /** Each wait moves at random by up to this fraction of itself, so retries of many rows spread out. */
  readonly jitter: number;
}

/** What the sender records after an attempt. */
export type DeliveryStep =
  | { readonly state: 'sent'; readonly providerId: string }
  /** Try again `delayMs` from now. */
  | { readonly state: 'pending'; readonly delayMs: number; readonly lastError: string }
  | { readonly state: 'failed'; readonly lastError: string };

/**
 * The wait after failed attempt number `attempt` (1 for the first): `backoffBaseMs × 2^(attempt − 1)`,
 * moved by up to ±`jitter` of itself, capped at `backoffMaxMs`. `random` is in [0, 1).
 */
export function backoffMs(policy: DeliveryPolicy, attempt: number, random: () => number): number {
  return backoffDelayMs({ baseMs: policy.backoffBaseMs, multiplier: 2, maxMs: policy.backoffMaxMs, jitter: policy.jitter }, attempt, random);
}

/**
 * What attempt number `attempt` of a delivery comes to: sent, another try later (never sooner than
 * the provider's `retryAfterMs`), or parked as failed, at once for a refusal and after the last
 * attempt for anything else.
 */
export function nextStep(outcome: SendOutcome, attempt: number, policy: DeliveryPolicy, random: () => number = Math.random): DeliveryStep {
  switch (outcome.status) {
    case 'sent':
      return { state: 'sent', providerId: outcome.providerId };
    case 'rejected':
      return { state: 'failed', lastError: outcome.reason };
    case 'retry': {
      if (attempt >= policy.maxAttempts) {
        return { state: 'failed', lastError: `gave up after ${attempt} attempts: ${outcome.reason}` };
      }
      const delayMs = Math.max(backoffMs(policy, attempt, random), outcome.retryAfterMs ?? 0);
      return { state: 'pending', delayMs, lastError: outcome.reason };
    }
    default:
      return assertNever(outcome);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled send outcome ${JSON.stringify(value)}`);
}
