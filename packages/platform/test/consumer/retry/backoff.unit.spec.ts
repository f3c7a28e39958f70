import { DEFAULT_RETRY_POLICY, retryDelayMs, retryPolicy } from '../../../src/consumer/retry/backoff.js';

describe('retry backoff', () => {
  const noJitter = retryPolicy({ jitter: 0 });

  it('given the default policy without jitter, when attempts fail, then delays double from one second', () => {
    const delays = [1, 2, 3, 4].map((attempt) => retryDelayMs(noJitter, attempt));

    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('given many failures, when the delay grows, then it stops at maxDelayMs', () => {
    expect(retryDelayMs(noJitter, 20)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
  });

  it('given jitter of 0.2, when random is lowest and highest, then the delay moves by 20% either way', () => {
    const policy = retryPolicy({ jitter: 0.2 });

    expect(retryDelayMs(policy, 2, () => 0)).toBe(1_600);
    expect(retryDelayMs(policy, 2, () => 0.5)).toBe(2_000);
    expect(retryDelayMs(policy, 2, () => 0.999_999)).toBe(2_400);
  });

  it('given jitter at the cap, when random is highest, then the delay still never exceeds maxDelayMs', () => {
    const policy = retryPolicy({ initialDelayMs: 100, maxDelayMs: 100, jitter: 0.5 });

    expect(retryDelayMs(policy, 1, () => 0.999_999)).toBe(100);
  });

  it('given a maxDelayMs below initialDelayMs, when the policy is built, then it is rejected naming the field', () => {
    expect(() => retryPolicy({ initialDelayMs: 5_000, maxDelayMs: 1_000 })).toThrow(/maxDelayMs/);
  });

  it('given zero attempts, when the policy is built, then it is rejected', () => {
    expect(() => retryPolicy({ maxAttempts: 0 })).toThrow(/maxAttempts/);
  });
});
