/** An exponential backoff with jitter, as every retry on the platform waits. */
export interface Backoff {
  /** The wait after the first failed attempt, in ms. */
  readonly baseMs: number;
  /** Each wait is this many times the one before. */
  readonly multiplier: number;
  /** No wait exceeds this, in ms, jitter included. */
  readonly maxMs: number;
  /** Each wait moves at random by up to this fraction of itself, so many retries spread out. */
  readonly jitter: number;
}

/**
 * The wait after failed attempt number `attempt` (1 for the first): `baseMs × multiplier^(attempt − 1)`,
 * moved by up to ±`jitter` of itself, capped at `maxMs`. `random` returns a number in [0, 1), as
 * `Math.random` does.
 */
export function backoffDelayMs({ baseMs, multiplier, maxMs, jitter }: Backoff, attempt: number, random: () => number): number {
  const base = Math.min(maxMs, baseMs * multiplier ** Math.max(0, attempt - 1));
  const spread = base * jitter;
  return Math.round(Math.min(maxMs, base - spread + random() * 2 * spread));
}
