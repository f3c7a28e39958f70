import type { Queryable } from '../queryable.js';

/**
 * A key whose messages follow a dead-lettered one into the DLT, per consumer group and source topic,
 * until a replay has handled every one of them.
 */
export interface ParkedKey {
  readonly key: string;
  readonly partition: number;
  /** Source offset of the first message dead-lettered while the key was not parked. */
  readonly headOffset: string;
  /** DLT offset of the latest message of this key sent to the DLT; a replay un-parks after it. */
  readonly lastDeadLetterOffset: string;
  /** Messages of this key sent to the DLT since it was parked. */
  readonly deadLettered: number;
  /** The replay allowed to handle this key's copies; `null` when none is under way. */
  readonly replayId: string | null;
  readonly parkedAt: Date;
}

/** A `consumer_parked_keys` row as read with `PARKED_KEY_COLUMNS`. */
export interface ParkedRow {
  message_key: string;
  partition: number;
  head_offset: string;
  last_dlt_offset: string;
  dead_lettered: number;
  replay_id: string | null;
  parked_at: Date;
}

/** The columns `toParkedKey` reads. */
export const PARKED_KEY_COLUMNS = 'message_key, partition, head_offset, last_dlt_offset, dead_lettered, replay_id, parked_at';

export function toParkedKey(row: ParkedRow): ParkedKey {
  return {
    key: row.message_key,
    partition: row.partition,
    headOffset: row.head_offset,
    lastDeadLetterOffset: row.last_dlt_offset,
    deadLettered: row.dead_lettered,
    replayId: row.replay_id,
    parkedAt: row.parked_at,
  };
}

/** The parked state of one key, if it is parked. */
export async function findParkedKey(
  db: Queryable,
  group: string,
  topic: string,
  key: string,
): Promise<ParkedKey | undefined> {
  const { rows } = await db.query<ParkedRow>(
    `select ${PARKED_KEY_COLUMNS} from consumer_parked_keys where consumer_group = $1 and topic = $2 and message_key = $3`,
    [group, topic, key],
  );
  return rows[0] === undefined ? undefined : toParkedKey(rows[0]);
}

/** Every parked key of a group on a topic, by partition and head offset. */
export async function listParkedKeys(db: Queryable, group: string, topic: string): Promise<ParkedKey[]> {
  const { rows } = await db.query<ParkedRow>(
    `select ${PARKED_KEY_COLUMNS} from consumer_parked_keys where consumer_group = $1 and topic = $2
     order by partition, head_offset`,
    [group, topic],
  );
  return rows.map(toParkedKey);
}

/** A message of `key` that has just been written to the DLT. */
export interface DeadLetteredKey {
  readonly group: string;
  readonly topic: string;
  readonly key: string;
  readonly partition: number;
  readonly sourceOffset: string;
  readonly deadLetterOffset: string;
  /** The message was a replay's copy that failed again: that replay may go no further for this key. */
  readonly endsReplay: boolean;
}

/**
 * Parks the key behind a message just written to the DLT, or, if it is parked already, moves its last
 * DLT offset on so that a replay knows there is one more message to bring back.
 */
export async function recordDeadLetteredKey(db: Queryable, entry: DeadLetteredKey): Promise<void> {
  await db.query(
    `insert into consumer_parked_keys
       (consumer_group, topic, message_key, partition, head_offset, last_dlt_offset, dead_lettered)
     values ($1, $2, $3, $4, $5, $6, 1)
     on conflict (consumer_group, topic, message_key) do update set
       last_dlt_offset = greatest(consumer_parked_keys.last_dlt_offset, excluded.last_dlt_offset),
       dead_lettered = consumer_parked_keys.dead_lettered + 1,
       replay_id = case when $7 then null else consumer_parked_keys.replay_id end`,
    [entry.group, entry.topic, entry.key, entry.partition, entry.sourceOffset, entry.deadLetterOffset, entry.endsReplay],
  );
}

/**
 * Un-parks `key` if `deadLetterOffset` is its last DLT entry and `replayId` the replay allowed to
 * handle it. Runs in the transaction that handled that entry, so the key is free exactly when every
 * message that followed it into the DLT has been handled. Returns whether it un-parked.
 */
export async function unparkAfter(
  db: Queryable,
  where: { group: string; topic: string; key: string; replayId: string; deadLetterOffset: string },
): Promise<boolean> {
  const result = await db.query(
    `delete from consumer_parked_keys
     where consumer_group = $1 and topic = $2 and message_key = $3 and replay_id = $4 and last_dlt_offset = $5`,
    [where.group, where.topic, where.key, where.replayId, where.deadLetterOffset],
  );
  return result.rowCount === 1;
}

/** Lets replay `replayId` handle the copies of these keys; returns the keys that were parked. */
export async function beginReplay(
  db: Queryable,
  where: { group: string; topic: string; keys: readonly string[]; replayId: string },
): Promise<string[]> {
  const { rows } = await db.query<{ message_key: string }>(
    `update consumer_parked_keys set replay_id = $4
     where consumer_group = $1 and topic = $2 and message_key = any($3::text[])
     returning message_key`,
    [where.group, where.topic, where.keys, where.replayId],
  );
  return rows.map((row) => row.message_key);
}

/**
 * Deletes a parked key's row if it is still as `parked` describes it (no message followed the key into
 * the DLT since, no replay took it over). Returns whether it did.
 */
export async function releaseParkedKeyRow(db: Queryable, group: string, topic: string, parked: ParkedKey): Promise<boolean> {
  const result = await db.query(
    `delete from consumer_parked_keys
     where consumer_group = $1 and topic = $2 and message_key = $3
       and last_dlt_offset = $4 and dead_lettered = $5 and replay_id is not distinct from $6::uuid`,
    [group, topic, parked.key, parked.lastDeadLetterOffset, parked.deadLettered, parked.replayId],
  );
  return result.rowCount === 1;
}
