import { z } from 'zod';
import { backoffDelayMs } from '../../domain/backoff.js';

/** How a failing handler is retried before its message is dead-lettered. */
export interface RetryPolicy {
  /** Handler attempts per message, the first included. @default 4 */
  readonly maxAttempts: number;
  /** Delay before the second attempt, in milliseconds. @default 1000 */
  readonly initialDelayMs: number;
  /** Each delay is this many times the one before. @default 2 */
  readonly multiplier: number;
  /** No delay exceeds this, jitter included. @default 30000 */
  readonly maxDelayMs: number;
  /** Each delay is moved at random by up to this fraction of itself, so many consumers spread out. @default 0.2 */
  readonly jitter: number;
}

/** One attempt and three retries a second apart and doubling, as the original design retried. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  initialDelayMs: 1_000,
  multiplier: 2,
  maxDelayMs: 30_000,
  jitter: 0.2,
};

const policySchema = z
  .object({
    maxAttempts: z.int().min(1).max(100),
    initialDelayMs: z.int().min(0),
    multiplier: z.number().min(1).max(10),
    maxDelayMs: z.int().min(0),
    jitter: z.number().min(0).max(1),
  })
  .refine((policy) => policy.maxDelayMs >= policy.initialDelayMs, {
    path: ['maxDelayMs'],
    message: 'must be at least initialDelayMs',
  });

/**
 * The default policy with `overrides` applied, checked up front so a bad value fails at start-up.
 *
 * @throws z.ZodError naming the bad field.
 */
export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return policySchema.parse({ ...DEFAULT_RETRY_POLICY, ...overrides });
}

/**
 * How long to wait after failed attempt number `attempt` (1 for the first) before the next one:
 * `initialDelayMs × multiplier^(attempt − 1)`, moved by up to ±`jitter` of itself, capped at
 * `maxDelayMs`. `random` returns a number in [0, 1), as `Math.random` does.
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const { initialDelayMs: baseMs, multiplier, maxDelayMs: maxMs, jitter } = policy;
  return backoffDelayMs({ baseMs, multiplier, maxMs, jitter }, attempt, random);
}
