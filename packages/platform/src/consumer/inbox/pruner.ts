import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import { pruneInbox } from './prune.js';
import { nextPruneDelayMs, type InboxPruning } from './retention.js';

/** A runner's periodic inbox prune; see `startInboxPruner`. */
export interface InboxPruner {
  /** Cancels the next prune and waits for one in flight to stop after its current batch. */
  stop(): Promise<void>;
}

/** What `startInboxPruner` needs. */
export interface InboxPrunerDeps {
  readonly pool: Pool;
  readonly group: string;
  readonly settings: InboxPruning;
  /** Counts the rows deleted, per group. */
  readonly pruned: Counter<'group'>;
  readonly log: Logger;
  readonly random: () => number;
}

/**
 * Prunes the group's inbox every `settings.intervalMs` (jittered) until stopped. One timer, re-armed
 * after each prune ends, so prunes never overlap; replicas of the group take turns through the prune's
 * advisory lock, and the one that finds it taken just waits for its next turn. A failed prune is
 * logged and tried again at the next turn: old rows cost space, never correctness.
 */
export function startInboxPruner({ pool, group, settings, pruned, log, random }: InboxPrunerDeps): InboxPruner {
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function prune(): Promise<void> {
    try {
      const result = await pruneInbox({
        pool,
        group,
        retentionMs: settings.retentionMs,
        batchSize: settings.batchSize,
        signal: stopping.signal,
        onBatch: (deleted) => {
          pruned.inc({ group }, deleted);
        },
      });
      if (result.kind === 'busy') log.debug('another session is pruning the inbox');
      else if (result.deleted > 0) log.info({ deleted: result.deleted, cutoff: result.cutoff }, 'inbox pruned');
    } catch (error) {
      log.warn({ err: error }, 'inbox prune failed; trying again at the next turn');
    }
  }

  function schedule(): void {
    if (stopping.signal.aborted) return;
    timer = setTimeout(() => {
      running = prune().finally(() => {
        running = undefined;
        schedule();
      });
    }, nextPruneDelayMs(settings.intervalMs, random));
    // The timer alone never keeps the process alive.
    timer.unref();
  }

  schedule();
  return {
    async stop() {
      stopping.abort();
      clearTimeout(timer);
      await running;
    },
  };
}
