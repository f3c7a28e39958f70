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

  /**
   * Resolves on a notification, after `timeoutMs`, or when `signal` aborts, whichever is first: to
   * whether a notification ended it.
   */
  wait(timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    if (this.#pending) return Promise.resolve(true);
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const end = (notified: boolean): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', ended);
        this.#resolve = undefined;
        resolve(notified);
      };
      const ended = (): void => {
        end(false);
      };
      const timer = setTimeout(ended, timeoutMs);
      signal.addEventListener('abort', ended);
      this.#resolve = () => {
        end(true);
      };
    });
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  await new WakeSignal().wait(ms, signal);
}
