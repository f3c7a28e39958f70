import type { SourceRecord } from '../handlers.js';
import type { Queryable } from '../queryable.js';

/**
 * Whether `group` has handled event `eventId` (a committed inbox row). A plain read: it takes no
 * transaction id, so a handler transaction that starts with it holds nothing back until it writes.
 */
export async function isInInbox(db: Queryable, group: string, eventId: string): Promise<boolean> {
  const { rows } = await db.query('select 1 from consumer_inbox where consumer_group = $1 and event_id = $2', [group, eventId]);
  return rows.length > 0;
}

/**
 * Records that `group` handled event `eventId`, inside the caller's transaction, as its last write.
 * Returns `false` when another delivery of the same event got there first: the caller must then roll
 * back. A concurrent delivery still in its transaction makes this wait on the primary key until that
 * transaction ends: `false` if it committed, `true` if it rolled back.
 */
export async function recordInInbox(
  tx: Queryable,
  group: string,
  eventId: string,
  source: Pick<SourceRecord, 'topic' | 'partition' | 'offset'>,
): Promise<boolean> {
  const result = await tx.query(
    `insert into consumer_inbox (consumer_group, event_id, topic, partition, "offset")
     values ($1, $2, $3, $4, $5)
     on conflict (consumer_group, event_id) do nothing`,
    [group, eventId, source.topic, source.partition, source.offset],
  );
  return result.rowCount === 1;
}
