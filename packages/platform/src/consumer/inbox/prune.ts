import type { Pool } from 'pg';
import { z } from 'zod';
import { tryAdvisoryLock } from '../advisory-lock.js';
import { ConsumerConfigError } from '../errors.js';
import type { Queryable } from '../queryable.js';
import { inboxPruneBatchSize, inboxRetentionMs } from './retention.js';

/** Whose inbox rows to prune, and which. */
export interface PruneInboxOptions {
  /** The consumer group's database. */
  readonly pool: Pool;
  readonly group: string;
  /** Rows handled longer ago than this are deleted; at least 1 day. */
  readonly retentionMs: number;
  /** Rows deleted per statement. */
  readonly batchSize: number;
  /** Checked between batches: an abort ends the prune after the statement in flight. */
  readonly signal?: AbortSignal;
  /** Told after each statement that deleted rows, with how many; awaited before the next. */
  readonly onBatch?: (deleted: number) => void | Promise<void>;
}

/** What `pruneInbox` did: pruned up to `cutoff`, or nothing because another session is pruning the group. */
export type InboxPruneResult =
  | {
      readonly kind: 'pruned';
      readonly cutoff: Date;
      readonly deleted: number;
      /** Statements that deleted rows. */
      readonly batches: number;
      /** Stopped by the signal before every old row was gone. */
      readonly interrupted: boolean;
    }
  | { readonly kind: 'busy' };

/** Inbox rows of one group that a prune would delete now. */
export interface PrunableRows {
  readonly group: string;
  readonly rows: number;
  /** The topics those rows' events were consumed from, sorted. */
  readonly topics: readonly string[];
}

const settings = z.object({ retentionMs: inboxRetentionMs, batchSize: inboxPruneBatchSize });

/**
 * Deletes `group`'s inbox rows handled before now minus `retentionMs`, oldest first, `batchSize` at a
 * time. Each batch is a statement of its own that commits at once, so the prune never holds row locks
 * or a transaction id for long (an open transaction holds back the outbox relay's read horizon in the
 * whole cluster). A session-level advisory lock per group lets one session prune a group at a time:
 * replicas of a runner, and the command line, return `busy` instead of deleting the same rows.
 *
 * @throws ConsumerConfigError for a retention under a day or a batch size out of range.
 */
export async function pruneInbox(options: PruneInboxOptions): Promise<InboxPruneResult> {
  const parsed = settings.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConsumerConfigError(`inbox prune ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const { retentionMs, batchSize } = parsed.data;
  const lock = await tryAdvisoryLock(options.pool, `msa.inbox-prune/${options.group}`);
  if (lock === undefined) return { kind: 'busy' };
  try {
    const cutoff = await cutoffFor(lock.client, retentionMs);
    let deleted = 0;
    let batches = 0;
    for (;;) {
      if (options.signal?.aborted === true) return { kind: 'pruned', cutoff, deleted, batches, interrupted: true };
      const count = await deleteBatch(lock.client, options.group, cutoff, batchSize);
      if (count > 0) {
        deleted += count;
        batches += 1;
        await options.onBatch?.(count);
      }
      if (count < batchSize) return { kind: 'pruned', cutoff, deleted, batches, interrupted: false };
    }
  } finally {
    await lock.release();
  }
}

/**
 * How many inbox rows a prune with `retentionMs` would delete now, and from which topics, per group
 * (only `group` when given; groups with none are left out), and the cutoff it would use.
 */
export async function countPrunableInboxRows(
  db: Queryable,
  { retentionMs, group }: { readonly retentionMs: number; readonly group?: string },
): Promise<{ cutoff: Date; groups: PrunableRows[] }> {
  const cutoff = await cutoffFor(db, retentionMs);
  const { rows } = await db.query<{ consumer_group: string; topic: string; rows: string }>(
    `select consumer_group, topic, count(*) as rows from consumer_inbox
     where handled_at < $1 and ($2::text is null or consumer_group = $2)
     group by consumer_group, topic order by consumer_group, topic`,
    [cutoff, group ?? null],
  );
  const groups = new Map<string, { group: string; rows: number; topics: string[] }>();
  for (const row of rows) {
    const entry = groups.get(row.consumer_group) ?? { group: row.consumer_group, rows: 0, topics: [] };
    entry.rows += Number(row.rows);
    entry.topics.push(row.topic);
    groups.set(row.consumer_group, entry);
  }
  return { cutoff, groups: [...groups.values()] };
}

// The database's clock, which stamped `handled_at`, decides what is old.
async function cutoffFor(db: Queryable, retentionMs: number): Promise<Date> {
  const { rows } = await db.query<{ cutoff: Date }>(`select now() - $1 * interval '1 millisecond' as cutoff`, [retentionMs]);
  const cutoff = rows[0]?.cutoff;
  if (cutoff === undefined) throw new Error('the database returned no time');
  return cutoff;
}

async function deleteBatch(db: Queryable, group: string, cutoff: Date, batchSize: number): Promise<number> {
  const result = await db.query(
    `delete from consumer_inbox
     where consumer_group = $1 and event_id in (
       select event_id from consumer_inbox
       where consumer_group = $1 and handled_at < $2
       order by handled_at
       limit $3)`,
    [group, cutoff, batchSize],
  );
  return result.rowCount ?? 0;
}
