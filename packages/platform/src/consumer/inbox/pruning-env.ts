import { z } from 'zod';
import { env } from '../../config/env.js';
import {
  DEFAULT_INBOX_PRUNE_BATCH_SIZE,
  DEFAULT_INBOX_PRUNE_INTERVAL_MS,
  DEFAULT_INBOX_RETENTION_MS,
  inboxPruneBatchSize,
  inboxPruneIntervalMs,
  inboxRetentionMs,
  type InboxPruning,
} from './retention.js';

/**
 * The consumer inbox's pruning settings as environment variables, to spread into a service's
 * `loadConfig` schema, so every service names and checks them alike. Durations read as `42d`, `6h`.
 */
export const inboxPruningVariables = {
  /** `false` for a group whose topics keep messages forever: their inbox rows may never go. */
  INBOX_PRUNING: env.boolean().default(true),
  /** Checked against the topics' and DLTs' retention when the consumer starts. */
  INBOX_RETENTION: env.duration().pipe(inboxRetentionMs).default(DEFAULT_INBOX_RETENTION_MS),
  INBOX_PRUNE_INTERVAL: env.duration().pipe(inboxPruneIntervalMs).default(DEFAULT_INBOX_PRUNE_INTERVAL_MS),
  INBOX_PRUNE_BATCH_SIZE: env.integer().pipe(inboxPruneBatchSize).default(DEFAULT_INBOX_PRUNE_BATCH_SIZE),
};

/** The variables of `inboxPruningVariables`, as loaded. */
export type InboxPruningConfig = z.output<z.ZodObject<typeof inboxPruningVariables>>;

/** The consumer runner's `inboxPruning` option from a loaded configuration. */
export function inboxPruningFrom(config: InboxPruningConfig): InboxPruning {
  return {
    enabled: config.INBOX_PRUNING,
    retentionMs: config.INBOX_RETENTION,
    intervalMs: config.INBOX_PRUNE_INTERVAL,
    batchSize: config.INBOX_PRUNE_BATCH_SIZE,
  };
}
