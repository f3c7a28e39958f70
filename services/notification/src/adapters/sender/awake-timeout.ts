/** How far an awake timeout has got, between ticks. */
export interface AwakeCount {
  /** Time counted so far, in ms. */
  readonly awakeMs: number;
  /** Whether the timeout is over: abort now. */
  readonly due: boolean;
}

/**
 * Counts one tick of an awake timeout, `gapMs` after the one before. A tick more than twice `tickMs`
 * late means the process did not run (frozen by SIGSTOP, or its event loop blocked): it counts one
 * tick, whatever the wall clock says, and never ends the timeout itself, so the I/O that arrived
 * during the freeze (a 250 from the relay) is read before the next tick can.
 */
export function countTick(awakeMs: number, gapMs: number, { timeoutMs, tickMs }: { readonly timeoutMs: number; readonly tickMs: number }): AwakeCount {
  const late = gapMs > 2 * tickMs;
  const counted = awakeMs + (late ? tickMs : gapMs);
  return { awakeMs: counted, due: !late && counted >= timeoutMs };
}

/** A signal that aborts once the process has been running for `timeoutMs`; `clear` stops it. */
export interface AwakeTimeout {
  readonly signal: AbortSignal;
  clear(): void;
}

/**
 * Like `AbortSignal.timeout`, but time the process spent frozen does not count: a wall-clock timeout
 * that fires on waking says nothing about the server, whose answer may be waiting unread.
 */
export function awakeTimeout(timeoutMs: number): AwakeTimeout {
  const controller = new AbortController();
  const tickMs = Math.max(1, Math.min(250, timeoutMs / 4));
  let awakeMs = 0;
  let last = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    timer = setTimeout(() => {
      const at = performance.now();
      const count = countTick(awakeMs, at - last, { timeoutMs, tickMs });
      awakeMs = count.awakeMs;
      last = at;
      if (count.due) controller.abort(new DOMException(`the attempt took longer than ${String(timeoutMs)} ms`, 'TimeoutError'));
      else schedule();
    }, tickMs);
    // As AbortSignal.timeout's, the timer alone keeps no process alive.
    timer.unref();
  };
  schedule();
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
    },
  };
}
