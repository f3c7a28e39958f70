/**
 * A level-triggered wake-up: `notify` before or during a `wait` makes that wait return at once, so a
 * notification that arrives while the relay is busy is never lost.
 */
export class WakeSignal {
  #pending = false;
  #resolve: (() => void) | undefined;

  notify(): void {
    this.#pending = true;
    this.#resolve?.();
  }

  /** Forgets earlier notifications; call just before looking for work. */
  clear(): void {
    this.#pending = false;
  }

  /** Resolves on a notification, after `timeoutMs`, or when `signal` aborts, whichever is first. */
  wait(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (this.#pending || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.#resolve = undefined;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done);
      this.#resolve = done;
    });
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new WakeSignal().wait(ms, signal);
}
