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

/** What `honouringRetryAfter` reads of an HTTP answer. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, unknown>>;
}

/**
 * `send`'s answer, sent again after its `Retry-After` while it answers 503, at most `attempts` times
 * in all: a 503 is the platform telling a client to come back (its pool or a dependency busy on a
 * loaded machine), so specs that are not about it behave as a good client does. Only for requests
 * that are safe to send again.
 */
export async function honouringRetryAfter<T extends HttpAnswer>(send: () => PromiseLike<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const answer = await send();
    const retryAfter = Number(answer.headers['retry-after']);
    if (answer.status !== 503 || attempt >= attempts || !Number.isFinite(retryAfter)) return answer;
    await sleep(retryAfter * 1_000);
  }
}
