import { awakeTimeout, countTick } from '../../../src/adapters/sender/awake-timeout.js';

const clock = { timeoutMs: 1_000, tickMs: 250 };

describe('awake timeout', () => {
  it('given ticks on time, when they add up to the timeout, then the last one ends it', () => {
    let count = { awakeMs: 0, due: false };
    const seen: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      count = countTick(count.awakeMs, 251, clock);
      seen.push(count.due);
    }

    expect(seen).toEqual([false, false, false, true]);
  });

  it('given the process frozen for ten seconds, when the first tick after it comes, then it counts one tick and does not end the timeout', () => {
    expect(countTick(750, 10_000, clock)).toEqual({ awakeMs: 1_000, due: false });
  });

  it('given a tick after the freeze that reached the timeout, when the next one comes on time, then that one ends it', () => {
    const waking = countTick(750, 10_000, clock);

    expect(countTick(waking.awakeMs, 250, clock).due).toBe(true);
  });

  it('given a timeout of 40 ms, when the process runs for it, then the signal aborts with a TimeoutError', async () => {
    const timeout = awakeTimeout(40);

    await new Promise((resolve) => {
      timeout.signal.addEventListener('abort', resolve, { once: true });
    });

    expect(timeout.signal.reason).toEqual(expect.objectContaining({ name: 'TimeoutError' }));
  });

  it('given a cleared timeout, when its time passes, then the signal never aborts', async () => {
    const timeout = awakeTimeout(20);
    timeout.clear();

    await new Promise((resolve) => setTimeout(resolve, 60));

    expect(timeout.signal.aborted).toBe(false);
  });
});
