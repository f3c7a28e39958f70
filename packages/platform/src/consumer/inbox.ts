import type { ClientBase } from 'pg';
import type { SourceRecord } from './headers.js';

/**
 * Records that `group` handles event `eventId`, inside the caller's transaction. Returns `false` when
 * the group has handled it already: the caller then skips the handler. A concurrent delivery of the
 * same event waits on the primary key until this transaction ends, and then sees it as handled.
 */
export async function recordInInbox(
  tx: ClientBase,
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
