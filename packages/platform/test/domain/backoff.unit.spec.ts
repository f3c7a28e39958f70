import { backoffDelayMs } from '../../src/domain/backoff.js';

describe('backoffDelayMs', () => {
  const backoff = { baseMs: 1_000, multiplier: 2, maxMs: 10_000, jitter: 0.2 };
  const middle = () => 0.5;

  it('given the attempts so far, when no jitter moves them, then each wait doubles the one before up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelayMs(backoff, attempt, middle))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000]);
  });

  it('given the extremes of the random draw, when waited, then the wait moves by the jitter fraction and never past the cap', () => {
    expect(backoffDelayMs(backoff, 2, () => 0)).toBe(1_600);
    expect(backoffDelayMs(backoff, 2, () => 0.999_999)).toBe(2_400);
    expect(backoffDelayMs(backoff, 9, () => 0.999_999)).toBe(10_000);
  });
});
