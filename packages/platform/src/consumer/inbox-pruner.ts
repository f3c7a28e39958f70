import { Counter, type Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { Pool } from 'pg';
import { nextPruneDelayMs, type InboxPruning } from './inbox-retention.js';
import { pruneInbox } from './inbox-pruning.js';

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
  readonly registry: Registry;
  readonly log: Logger;
  readonly random: () => number;
}

const PRUNED_METRIC = 'consumer_inbox_pruned_total';

/**
 * `consumer_inbox_pruned_total{group}`: inbox rows deleted by the runner's prunes. Taken from the
 * registry when another runner of the process registered it already, since a registry refuses a name
 * twice.
 */
export function inboxPrunedCounter(registry: Registry): Counter<'group'> {
  const existing = registry.getSingleMetric(PRUNED_METRIC);
  // Only this function registers the name, always with these labels.
  if (existing instanceof Counter) return existing;
  return new Counter({
    name: PRUNED_METRIC,
    help: 'Inbox rows deleted by consumer runners once older than the inbox retention',
    labelNames: ['group'],
    registers: [registry],
  });
}

/**
 * Prunes the group's inbox every `settings.intervalMs` (jittered) until stopped. One timer, re-armed
 * after each prune ends, so prunes never overlap; replicas of the group take turns through the prune's
 * advisory lock, and the one that finds it taken just waits for its next turn. A failed prune is
 * logged and tried again at the next turn: old rows cost space, never correctness.
 */
export function startInboxPruner({ pool, group, settings, registry, log, random }: InboxPrunerDeps): InboxPruner {
  const pruned = inboxPrunedCounter(registry);
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
