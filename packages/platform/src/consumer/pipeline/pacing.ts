import { setTimeout as sleep } from 'node:timers/promises';

/** The runner is stopping: the message in hand is left uncommitted, to be delivered again. */
export class ConsumerStopping extends Error {
  override readonly name = 'ConsumerStopping';
}

/** A wait given a time limit ran out; what was waited for may still settle later, unobserved. */
export class WaitTimedOut extends Error {
  override readonly name = 'WaitTimedOut';
  readonly retriable = true;
}

/** How `Pacer.during` waits. */
export interface DuringOptions {
  /** Throw `ConsumerStopping` as soon as the runner stops instead of waiting for the work. @default false */
  readonly abandonOnStop?: boolean;
  /** Throw `WaitTimedOut` once the work has taken this long. @default no limit */
  readonly timeoutMs?: number;
}

/** Waits inside a batch: they keep the group membership alive and end early when the runner stops. */
export interface Pacer {
  /** Waits `ms`; throws `ConsumerStopping` as soon as the runner stops. */
  wait(ms: number): Promise<void>;
  /**
   * Waits for `work`, heartbeating meanwhile, so that a long handler attempt or a slow write does not
   * cost the partition its assignment. Settles as `work` does, unless `options` say otherwise; work
   * left behind is never awaited again and its rejection is swallowed. A failed heartbeat (the group is
   * rebalancing) ends the heartbeats of this wait but not the wait: the runner's heartbeat after the
   * message reports it.
   */
  during<T>(work: Promise<T>, options?: DuringOptions): Promise<T>;
}

// The group coordinator drops a member it has not heard from for a session timeout (30 s by default);
// a long wait is cut in slices with a heartbeat after each. kafkajs sends a heartbeat only when its
// heartbeat interval (3 s) has passed, so most of these cost nothing.
const HEARTBEAT_SLICE_MS = 1_000;

type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** A pacer for one batch: `heartbeat` and `isRunning` come from kafkajs, `signal` aborts on stop. */
export function createPacer(heartbeat: () => Promise<void>, isRunning: () => boolean, signal: AbortSignal): Pacer {
  const stopped = () => signal.aborted || !isRunning();
  return {
    async wait(ms) {
      const until = Date.now() + ms;
      for (;;) {
        if (stopped()) throw new ConsumerStopping('consumer stopping');
        const left = until - Date.now();
        if (left <= 0) return;
        await sleep(Math.min(left, HEARTBEAT_SLICE_MS), undefined, { signal }).catch(() => undefined);
        await heartbeat();
      }
    },
    async during<T>(work: Promise<T>, { abandonOnStop = false, timeoutMs }: DuringOptions = {}) {
      const settled: Promise<Settled<T>> = work.then(
        (value) => ({ ok: true, value }),
        (error: unknown) => ({ ok: false, error }),
      );
      const until = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
      // A heartbeat runs beside the wait, never in its way: a slow coordinator must not delay noticing
      // that the work settled or the runner stopped.
      const heartbeats: { inFlight: boolean; failed: boolean } = { inFlight: false, failed: false };
      for (;;) {
        if (abandonOnStop && stopped()) throw new ConsumerStopping('consumer stopping');
        const left = until - Date.now();
        if (left <= 0) throw new WaitTimedOut(`no answer within ${String(timeoutMs)} ms`);
        const slice = new AbortController();
        const abandon = abandonOnStop ? AbortSignal.any([signal, slice.signal]) : slice.signal;
        const outcome = await Promise.race([
          settled,
          sleep(Math.min(left, HEARTBEAT_SLICE_MS), undefined, { signal: abandon }).catch(() => undefined),
        ]);
        slice.abort();
        if (outcome !== undefined) {
          if (outcome.ok) return outcome.value;
          throw outcome.error;
        }
        if (!heartbeats.inFlight && !heartbeats.failed) {
          heartbeats.inFlight = true;
          heartbeat().then(
            () => {
              heartbeats.inFlight = false;
            },
            () => {
              heartbeats.failed = true;
            },
          );
        }
      }
    },
  };
}
