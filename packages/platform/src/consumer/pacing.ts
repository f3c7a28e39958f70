import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { retryDelayMs, type RetryPolicy } from './backoff.js';

/** The runner is stopping: the message in hand is left uncommitted, to be delivered again. */
export class ConsumerStopping extends Error {
  override readonly name = 'ConsumerStopping';
}

/** Waits inside a batch: they keep the group membership alive and end early when the runner stops. */
export interface Pacer {
  /** Waits `ms`; throws `ConsumerStopping` as soon as the runner stops. */
  wait(ms: number): Promise<void>;
}

// The group coordinator drops a member it has not heard from for a session timeout (30 s by default);
// a long backoff is slept in slices with a heartbeat after each.
const HEARTBEAT_SLICE_MS = 1_000;

/** A pacer for one batch: `heartbeat` and `isRunning` come from kafkajs, `signal` aborts on stop. */
export function createPacer(heartbeat: () => Promise<void>, isRunning: () => boolean, signal: AbortSignal): Pacer {
  return {
    async wait(ms) {
      const until = Date.now() + ms;
      for (;;) {
        if (signal.aborted || !isRunning()) throw new ConsumerStopping('consumer stopping');
        const left = until - Date.now();
        if (left <= 0) return;
        await sleep(Math.min(left, HEARTBEAT_SLICE_MS), undefined, { signal }).catch(() => undefined);
        await heartbeat();
      }
    },
  };
}

/** What `persist` needs: how to wait and how long. */
export interface PersistDeps {
  readonly pacer: Pacer;
  readonly policy: RetryPolicy;
  readonly log: Logger;
  readonly random: () => number;
}

/**
 * Runs a step of the runner's own bookkeeping (reading parked keys, writing to the DLT, recording
 * outcomes) until it succeeds. These failures say nothing about the message, so they never spend its
 * attempts or send it to the DLT; the partition waits, with backoff, until the dependency is back or
 * the runner stops.
 */
export async function persist<T>(deps: PersistDeps, what: string, step: () => Promise<T>): Promise<T> {
  for (let failures = 1; ; failures++) {
    try {
      return await step();
    } catch (error) {
      if (error instanceof ConsumerStopping) throw error;
      const delayMs = retryDelayMs(deps.policy, failures, deps.random);
      deps.log.warn({ err: error, failures, delayMs }, `${what} failed; trying again`);
      await deps.pacer.wait(delayMs);
    }
  }
}
