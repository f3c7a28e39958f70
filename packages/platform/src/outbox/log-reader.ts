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

/** What one read of the log found after a cursor. */
export interface LogRead {
  /** Up to `limit` events safe to pass, in the relay's order. */
  readonly rows: OutboxRow[];
  /** Committed events wait after these behind an older transaction still open: look again soon. */
  readonly blocked: boolean;
}

type LogReadRow = OutboxRow & { readonly safe: boolean };

/**
 * Up to `limit` events after `cursor` whose transactions are older than every transaction still in
 * progress, and whether a committed event waits beyond them. No transaction can ever again commit a
 * row that sorts before a safe one, which is what makes moving the cursor past them safe. One
 * statement, so one round trip and one transaction each time the relay looks. See DESIGN.md.
 */
export async function readLog(client: SessionStatements, cursor: Cursor, limit: number): Promise<LogRead> {
  const { rows } = await client.query<LogReadRow>({
    name: 'outbox_read_log',
    text: READ_LOG_SQL,
    values: [cursor.transactionId, cursor.position, limit],
  });
  const safe: OutboxRow[] = [];
  let blocked = false;
  for (const { safe: isSafe, ...row } of rows) {
    if (isSafe) safe.push(row);
    else blocked = true;
  }
  return { rows: safe, blocked };
}

/**
 * The relay's read, prepared on its leader session. It runs thousands of times a second there, so
 * PostgreSQL soon plans it once for any cursor (a generic plan): each branch is written so that plan is
 * a probe of the (transaction_id, position) index wherever the cursor stands. The first branch is the
 * batch; the second finds at most one committed event at or above the snapshot's xmin, which starts
 * its probe at the horizon instead of walking the safe rows. Both share the statement's snapshot.
 */
export const READ_LOG_SQL =
  // Qualified: unqualified, ORDER BY would sort by the text output column, not by the xid8.
  `(select e.transaction_id::text as transaction_id, ${EVENT_COLUMNS}, true as safe
      from events e
     where (e.transaction_id, e.position) > ($1::xid8, $2::bigint)
       and e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
     order by e.transaction_id, e.position
     limit $3)
   union all
   (select e.transaction_id::text as transaction_id, ${EVENT_COLUMNS}, false as safe
      from events e
     where (e.transaction_id, e.position) > ($1::xid8, $2::bigint)
       and e.transaction_id >= pg_snapshot_xmin(pg_current_snapshot())
     order by e.transaction_id, e.position
     limit 1)`;

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
