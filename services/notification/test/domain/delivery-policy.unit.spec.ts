import { backoffMs, type DeliveryPolicy, nextStep } from '../../src/domain/delivery-policy.js';

const policy: DeliveryPolicy = { maxAttempts: 10, backoffBaseMs: 15_000, backoffMaxMs: 900_000, jitter: 0.2 };
const middle = () => 0.5;

describe('delivery policy', () => {
  it('given the default settings without jitter, when every attempt fails, then the waits double up to the cap and add up to about an hour', () => {
    const waits = Array.from({ length: policy.maxAttempts - 1 }, (_, i) => backoffMs(policy, i + 1, middle));

    expect(waits).toEqual([15_000, 30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
    expect(waits.reduce((a, b) => a + b, 0) / 60_000).toBeCloseTo(60.75);
  });

  it('given jitter, when the random draw is at its ends, then the wait moves by up to a fifth, never past the cap', () => {
    expect(backoffMs(policy, 1, () => 0)).toBe(12_000);
    expect(backoffMs(policy, 1, () => 0.999_999)).toBe(18_000);
    expect(backoffMs(policy, 9, () => 0.999_999)).toBe(900_000);
  });

  it('given an accepted message, when stepped, then sent with the provider id', () => {
    expect(nextStep({ status: 'sent', providerId: '<abc@shop>' }, 1, policy)).toEqual({ state: 'sent', providerId: '<abc@shop>' });
  });

  it('given a refusal on the first attempt, when stepped, then failed at once, not retried', () => {
    expect(nextStep({ status: 'rejected', reason: '550 no such user' }, 1, policy)).toEqual({ state: 'failed', lastError: '550 no such user' });
  });

  it('given a passing failure before the last attempt, when stepped, then pending after the backoff', () => {
    expect(nextStep({ status: 'retry', reason: 'ECONNREFUSED' }, 2, policy, middle)).toEqual({ state: 'pending', delayMs: 30_000, lastError: 'ECONNREFUSED' });
  });

  it('given a provider asking for a longer wait, when stepped, then its wait wins', () => {
    expect(nextStep({ status: 'retry', reason: '429', retryAfterMs: 120_000 }, 1, policy, middle)).toMatchObject({ delayMs: 120_000 });
  });

  it('given a passing failure on the last attempt, when stepped, then failed, saying it gave up', () => {
    expect(nextStep({ status: 'retry', reason: 'timeout' }, 10, policy)).toEqual({ state: 'failed', lastError: 'gave up after 10 attempts: timeout' });
  });
});
