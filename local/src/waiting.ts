import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `probe` until it returns a value other than `undefined`, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs}ms`);
    await sleep(100);
  }
}

/**
 * Waits until `count()` reaches `target`, failing once it has not grown for `stallMs`: for work a
 * loaded machine does slowly but steadily (a partition that is stuck stops the count, a slow
 * machine only slows it), where one fixed deadline is either too short there or hides a hang.
 */
export async function whileProgressing(count: () => number, target: number, stallMs = 30_000): Promise<void> {
  let last = count();
  let lastGrew = Date.now();
  for (;;) {
    const now = count();
    if (now >= target) return;
    if (now > last) {
      last = now;
      lastGrew = Date.now();
    } else if (Date.now() - lastGrew > stallMs) {
      throw new Error(`stalled at ${now} of ${target}: nothing new for ${stallMs} ms`);
    }
    await sleep(100);
  }
}

/**
 * `work`'s outcome, or a rejection saying it was still waiting after `ms`: for specs that check a
 * call is bounded, so a call that hangs fails the spec with that message instead of its timeout.
 */
export async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`still waiting after ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work, hung]);
  } finally {
    clearTimeout(timer);
  }
}
