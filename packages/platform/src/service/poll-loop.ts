import { setTimeout as sleepFor } from 'node:timers/promises';

/** Options for {@link pollLoop}. */
export interface PollLoopOptions {
  /**
   * One round of work: claims what is due and handles it. Resolves `true` when more is due at once
   * (a full batch), so the next round starts without sleeping.
   */
  readonly round: () => Promise<boolean>;
  /** Time between rounds when nothing is due and nothing woke the loop, in ms. */
  readonly pollIntervalMs: number;
  /** Told of a round that threw; the loop sleeps and tries again, so a database blip never ends it. */
  readonly roundFailed: (error: unknown) => void;
}

/**
 * The loop under a polling worker (a sender, a job processor, a deadline timer): rounds back to back
 * while work is due, a sleep of `pollIntervalMs` between idle rounds, cut short by `wake`.
 */
export interface PollLoop {
  /** Starts the loop; a second call does nothing. */
  start(): void;
  /** Runs a round now rather than at the next poll; during a round, runs another right after it. */
  wake(): void;
  /**
   * Starts no further round and ends a sleep at once: the loop's end, reached when the round in flight
   * (if any) finishes. What bounds that round is the worker's own affair.
   */
  halt(): Promise<void>;
}

/** A {@link PollLoop} running `round`. */
export function pollLoop({ round, pollIntervalMs, roundFailed }: PollLoopOptions): PollLoop {
  let halted = false;
  let wakeups = 0;
  let endSleep: (() => void) | undefined;
  let running: Promise<void> | undefined;

  function sleep(): Promise<void> {
    return new Promise<void>((resolve) => {
      // A halt during the round ends the loop here rather than after a poll interval.
      if (halted) {
        resolve();
        return;
      }
      const timer = setTimeout(resolve, pollIntervalMs);
      endSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      endSleep = undefined;
    });
  }

  async function loop(): Promise<void> {
    while (!halted) {
      const wakeupsBefore = wakeups;
      let more = false;
      try {
        more = await round();
      } catch (error) {
        roundFailed(error);
      }
      if (more || wakeups !== wakeupsBefore) continue;
      await sleep();
    }
  }

  return {
    start() {
      running ??= loop();
    },
    wake() {
      wakeups += 1;
      endSleep?.();
    },
    async halt() {
      halted = true;
      endSleep?.();
      await running;
    },
  };
}

/**
 * Whether `work` settles within `ms`: how a worker's `stop` bounds the round it waits for. The timer
 * is cleared either way, so it never holds the process.
 */
export async function finishesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  const timer = new AbortController();
  try {
    return await Promise.race([work.then(() => true), sleepFor(ms, false, { signal: timer.signal })]);
  } finally {
    timer.abort();
  }
}
