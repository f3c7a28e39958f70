import { retryWithin, type RetryWithinOptions } from '../../../src/adapters/sender/retry-within.js';

const lost = new Error('Connection terminated unexpectedly');
const refused = new Error('invalid byte sequence');

function options(overrides: Partial<RetryWithinOptions> = {}): RetryWithinOptions {
  return { until: performance.now() + 10_000, signal: new AbortController().signal, retriable: (error) => error === lost, failed: () => undefined, random: () => 0.5, ...overrides };
}

/** A step that fails with each of `failures` in turn, then resolves `'recorded'`; `calls` counts its tries. */
function failingWith(...failures: Error[]): { step: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    step: () => {
      const failure = failures[calls];
      calls += 1;
      return failure === undefined ? Promise.resolve('recorded') : Promise.reject(failure);
    },
    calls: () => calls,
  };
}

describe('retry within a deadline', () => {
  it('given a step that fails twice as the server is away, when retried, then the third try succeeds', async () => {
    const { step, calls } = failingWith(lost, lost);

    await expect(retryWithin(step, options())).resolves.toBe('recorded');
    expect(calls()).toBe(3);
  });

  it('given a failure that is not retriable, when it happens, then it rejects at once', async () => {
    const { step, calls } = failingWith(refused);

    await expect(retryWithin(step, options())).rejects.toBe(refused);
    expect(calls()).toBe(1);
  });

  it('given a deadline the next wait would pass, when the step fails, then it rejects with that failure', async () => {
    const { step, calls } = failingWith(lost, lost, lost);

    await expect(retryWithin(step, options({ until: performance.now() + 50 }))).rejects.toBe(lost);
    expect(calls()).toBe(1);
  });

  it('given the caller gives up during a wait, when the signal aborts, then it rejects with the last failure without trying again', async () => {
    const { step, calls } = failingWith(lost, lost, lost, lost, lost);
    const giveUp = new AbortController();
    const retried = retryWithin(step, options({ signal: giveUp.signal, failed: () => {
          giveUp.abort();
        },
      }));

    await expect(retried).rejects.toBe(lost);
    expect(calls()).toBe(1);
  });
});
