import type pg from 'pg';
import { EVENT_COLUMNS } from '../event-store/rows.js';
import type { SessionStatements } from './leadership.js';
import type { OutboxRow } from './messages.js';

/** A place in the relay's order: after the event at `position` of transaction `transactionId`. */
export interface Cursor {
  /** An xid8 as decimal text. */
  readonly transactionId: string;
  readonly position: number;
}

/** Before the first event. */
export const START: Cursor = { transactionId: '0', position: 0 };

/** The cursor just past `row`. */
export function cursorAfter(row: OutboxRow): Cursor {
  return { transactionId: row.transaction_id, position: Number(row.position) };
}

/**
 * Up to `limit` events after `cursor` whose transactions are older than every transaction still in
 * progress. No transaction can ever again commit a row that sorts before them, which is what makes
 * moving the cursor past them safe. See DESIGN.md.
 */
export async function readSafeBatch(client: SessionStatements, cursor: Cursor, limit: number): Promise<OutboxRow[]> {
  const { rows } = await client.query<OutboxRow>({
    name: 'outbox_read_batch',
    text: READ_SAFE_BATCH_SQL,
    values: [cursor.transactionId, cursor.position, limit],
  });
  return rows;
}

/**
 * The relay's two prepared statements. Each runs thousands of times a second on one session, so
 * PostgreSQL soon plans it once for any cursor (a generic plan): both are written so that plan is a
 * probe of the (transaction_id, position) index wherever the cursor stands.
 */
export const READ_SAFE_BATCH_SQL =
  // Qualified: unqualified, ORDER BY would sort by the text output column, not by the xid8.
  `select e.transaction_id::text as transaction_id, ${EVENT_COLUMNS}
     from events e
    where (e.transaction_id, e.position) > ($1::xid8, $2::bigint)
      and e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
    order by e.transaction_id, e.position
    limit $3`;

// A bare EXISTS here was planned, blind to the cursor, as if a third of the table matched: a
// sequential scan reading past every published event (200 ms a call at a million events).
/** @see READ_SAFE_BATCH_SQL */
export const HAS_UNSAFE_EVENTS_SQL = `select 1 as pending from events
    where (transaction_id, position) > ($1::xid8, $2::bigint)
    order by transaction_id, position
    limit 1`;

/** Whether committed events exist after `cursor` that are not yet safe to pass (an older transaction is open). */
export async function hasUnsafeEvents(client: SessionStatements, cursor: Cursor): Promise<boolean> {
  const { rows } = await client.query<{ pending: number }>({
    name: 'outbox_has_unsafe',
    text: HAS_UNSAFE_EVENTS_SQL,
    values: [cursor.transactionId, cursor.position],
  });
  return rows.length > 0;
}

/** The relay's last acknowledged place, creating its checkpoint row on first use. */
export async function loadCheckpoint(client: SessionStatements, relay: string): Promise<Cursor> {
  await client.query('insert into outbox_checkpoints (relay) values ($1) on conflict (relay) do nothing', [relay]);
  const { rows } = await client.query<{ transaction_id: string; position: string }>(
    'select transaction_id::text, position from outbox_checkpoints where relay = $1',
    [relay],
  );
  const [row] = rows;
  return row === undefined ? START : { transactionId: row.transaction_id, position: Number(row.position) };
}

/** Records that Kafka acknowledged everything up to `cursor`. */
export async function saveCheckpoint(client: SessionStatements, relay: string, cursor: Cursor): Promise<void> {
  await client.query({
    name: 'outbox_save_checkpoint',
    text: `update outbox_checkpoints set transaction_id = $2::xid8, position = $3, updated_at = now() where relay = $1`,
    values: [relay, cursor.transactionId, cursor.position],
  });
}

/** Events committed after `cursor` and how long the oldest of them has waited, for the lag metrics. */
export async function measureLag(
  pool: pg.Pool,
  cursor: Cursor,
): Promise<{ readonly events: number; readonly seconds: number }> {
  // Unnamed, so it is planned for the actual cursor: an index range when the relay keeps up.
  const { rows } = await pool.query<{ events: number; seconds: number }>({
    text: `select count(*)::integer as events,
                  coalesce(extract(epoch from clock_timestamp() - min(recorded_at)), 0)::float8 as seconds
             from events
            where (transaction_id, position) > ($1::xid8, $2::bigint)`,
    values: [cursor.transactionId, cursor.position],
  });
  return rows[0] ?? { events: 0, seconds: 0 };
}
