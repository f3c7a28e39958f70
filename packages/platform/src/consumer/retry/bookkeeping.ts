import type { Logger } from 'pino';
import { ConsumerStopping, type Pacer } from '../pipeline/pacing.js';
import { retryDelayMs, type RetryPolicy } from './backoff.js';

/** What `retryBookkeeping` needs: how to wait and how long. */
export interface BookkeepingDeps {
  readonly pacer: Pacer;
  readonly policy: RetryPolicy;
  readonly log: Logger;
  readonly random: () => number;
}

/**
 * Runs a step of the runner's own bookkeeping (reading parked keys, recording outcomes, opening the
 * handler's transaction) until it succeeds, heartbeating while each try runs. These failures say
 * nothing about the message, so they never spend its attempts or send it to the DLT; the partition
 * waits, with backoff, until the dependency is back or the runner stops.
 */
export async function retryBookkeeping<T>(deps: BookkeepingDeps, what: string, step: () => Promise<T>): Promise<T> {
  for (let failures = 1; ; failures++) {
    try {
      return await deps.pacer.during(step());
    } catch (error) {
      if (error instanceof ConsumerStopping) throw error;
      const delayMs = retryDelayMs(deps.policy, failures, deps.random);
      deps.log.warn({ err: error, failures, delayMs }, `${what} failed; trying again`);
      await deps.pacer.wait(delayMs);
    }
  }
}
