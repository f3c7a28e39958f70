import { afterUnanswered } from '../../src/domain/attempt-policy.js';

const policy = { maxAttempts: 4, backoffBaseMs: 1_000, backoffMaxMs: 5_000, jitter: 0.2 };
const middle = () => 0.5;

describe('Attempt policy', () => {
  it('given an unanswered first attempt, then the call is retried after the base wait', () => {
    expect(afterUnanswered(1, 'timed out', policy, middle)).toEqual({ state: 'pending', delayMs: 1_000, lastError: 'timed out' });
  });

  it('given later unanswered attempts, then each wait doubles up to the cap', () => {
    expect(afterUnanswered(2, 'x', policy, middle)).toMatchObject({ delayMs: 2_000 });
    expect(afterUnanswered(3, 'x', policy, middle)).toMatchObject({ delayMs: 4_000 });
    expect(afterUnanswered(3, 'x', { ...policy, backoffMaxMs: 3_000 }, () => 0.99)).toMatchObject({ delayMs: 3_000 });
  });

  it('given jitter, then a wait moves by up to that fraction of itself', () => {
    expect(afterUnanswered(1, 'x', policy, () => 0)).toMatchObject({ delayMs: 800 });
  });

  it('given the last attempt unanswered, then the job is parked naming the attempts and the reason', () => {
    expect(afterUnanswered(4, 'timed out', policy, middle)).toEqual({ state: 'parked', lastError: 'no answer after 4 attempts: timed out' });
  });
});
