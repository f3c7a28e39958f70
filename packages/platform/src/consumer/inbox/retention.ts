import { z } from 'zod';

const DAY_MS = 86_400_000;

/** No inbox row younger than a day is ever pruned, whatever the options say. */
export const MIN_INBOX_RETENTION_MS = DAY_MS;

/**
 * Six weeks: more than the catalog's event retention (7 days) plus its dead-letter retention (28
 * days), each with the day its daily segments may add, with five days to spare for a replayed copy
 * waiting in its source topic for a consumer that is down.
 */
export const DEFAULT_INBOX_RETENTION_MS = 42 * DAY_MS;

/** Inbox rows an inbox prune deletes per statement, unless told otherwise. */
export const DEFAULT_INBOX_PRUNE_BATCH_SIZE = 1_000;

/** How long inbox rows are kept. */
export const inboxRetentionMs = z
  .int()
  .min(
    MIN_INBOX_RETENTION_MS,
    `must be at least ${MIN_INBOX_RETENTION_MS} ms (1 day), and more than the topics' retention plus their DLTs'`,
  );

/** An hour between prunes, unless told otherwise. */
export const DEFAULT_INBOX_PRUNE_INTERVAL_MS = 3_600_000;

/** Rows deleted per statement: each is its own short transaction. */
export const inboxPruneBatchSize = z.int().min(1).max(10_000);

/** Time between prunes; each is jittered. */
export const inboxPruneIntervalMs = z.int().min(1_000, 'must be at least 1000 ms (1 s)');

/** How the runner deletes its group's old inbox rows. */
export interface InboxPruningOptions {
  /** Whether the runner prunes at all; turn it off for topics that keep messages forever. @default true */
  readonly enabled?: boolean;
  /**
   * Rows handled longer ago are deleted. It must exceed the retention of every source topic plus that
   * of its DLT, each with its `segment.ms` (checked at start), since until then a handled event can
   * come back. At least 1 day.
   * @default 42 days
   */
  readonly retentionMs?: number;
  /** Time between prunes, each jittered by ±20%. At least 1 s. @default 1 hour */
  readonly intervalMs?: number;
  /** Rows deleted per statement. @default 1000 */
  readonly batchSize?: number;
}

/** `InboxPruningOptions` with the defaults applied. */
export type InboxPruning = Required<InboxPruningOptions>;

/** Checks `InboxPruningOptions` and applies the defaults. */
export const inboxPruningSchema = z
  .object({
    enabled: z.boolean().default(true),
    retentionMs: inboxRetentionMs.default(DEFAULT_INBOX_RETENTION_MS),
    intervalMs: inboxPruneIntervalMs.default(DEFAULT_INBOX_PRUNE_INTERVAL_MS),
    batchSize: inboxPruneBatchSize.default(DEFAULT_INBOX_PRUNE_BATCH_SIZE),
  })
  .prefault({});

/**
 * The wait before the next prune: `intervalMs` give or take 20%, so replicas started together drift
 * apart instead of all asking for the lock at once.
 */
export function nextPruneDelayMs(intervalMs: number, random: () => number): number {
  return Math.round(intervalMs * (0.8 + 0.4 * random()));
}

/**
 * How long Kafka may keep a topic's messages readable: milliseconds (its `retention.ms` plus its
 * `segment.ms`, as Kafka deletes whole segments), or forever (no time limit, or compaction).
 */
export type TopicRetention = number | 'forever';

/** How long a source topic and its DLT may keep a message; see `TopicRetention`. */
export interface TopicRetentions {
  readonly topic: string;
  readonly source: TopicRetention;
  readonly deadLetter: TopicRetention;
}

/**
 * Why `retentionMs` is too short for inbox rows of these topics, or `undefined` when it is not. An
 * event handled from a topic can come back while it is still there (a redelivery), or, if a copy of it
 * was dead-lettered meanwhile, while that copy is in the DLT (a replay): a row deleted before both have
 * expired lets the event be handled twice.
 */
export function inboxRetentionProblem(retentionMs: number, topics: readonly TopicRetentions[]): string | undefined {
  const problems = topics.flatMap(({ topic, source, deadLetter }) => {
    if (source === 'forever' || deadLetter === 'forever') {
      return [`${topic} or its DLT keeps messages forever, so no inbox row can be pruned safely; disable inbox pruning`];
    }
    if (retentionMs > source + deadLetter) return [];
    return [`${topic} keeps messages ${inDays(source)} and its DLT ${inDays(deadLetter)}`];
  });
  if (problems.length === 0) return undefined;
  return `inbox retention ${inDays(retentionMs)} must exceed each topic's retention plus its DLT's: ${problems.join('; ')}`;
}

/** A retention for people: `42 days`, `1.5 days`. */
export function inDays(ms: number): string {
  return `${Number((ms / DAY_MS).toFixed(2))} days`;
}
