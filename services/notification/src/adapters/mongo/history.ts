import type { Collection, Db } from 'mongodb';
import type pg from 'pg';
import type { Channel } from '../../domain/notification.js';

/** What became of a notification, as its history shows it. */
export type HistoryStatus = 'pending' | 'sending' | 'sent' | 'failed';

/**
 * One notification in the `notification_history` collection: the ledger's state of its deliveries,
 * summed up, as of the notification's ledger `revision`. Template data never comes here: it may hold
 * a reset link.
 */
export interface HistoryDocument {
  /** The notification id. */
  readonly _id: string;
  /** Absent for an alert to the operators. */
  readonly userId?: string;
  readonly channel: Channel;
  readonly template: string;
  readonly status: HistoryStatus;
  /** The most attempts any of its deliveries took. */
  readonly attempts: number;
  /** How many addresses it went to: one, or one per push subscription. */
  readonly deliveries: number;
  readonly requestedAt: Date;
  readonly sentAt?: Date;
  readonly failedAt?: Date;
  readonly lastError?: string;
  readonly revision: number;
}

const COLLECTION = 'notification_history';

/** The history collection. */
export function historyCollection(db: Db): Collection<HistoryDocument> {
  return db.collection<HistoryDocument>(COLLECTION);
}

interface SummaryRow {
  readonly notification_id: string;
  readonly user_id: string | null;
  readonly channel: Channel;
  readonly template: string;
  readonly requested_at: Date;
  readonly revision: number;
  readonly deliveries: number;
  readonly sending: number;
  readonly open: number;
  readonly sent: number;
  readonly attempts: number | null;
  readonly sent_at: Date | null;
  readonly failed_at: Date | null;
  readonly last_error: string | null;
}

const changedSummaries = `
select n.notification_id, n.user_id, n.channel, n.template, n.requested_at, n.revision,
  count(d.idempotency_key)::int as deliveries,
  (count(*) filter (where d.state = 'sending'))::int as sending,
  (count(*) filter (where d.state in ('pending', 'sending')))::int as open,
  (count(*) filter (where d.state = 'sent'))::int as sent,
  max(d.attempts) as attempts, max(d.sent_at) as sent_at, max(d.failed_at) as failed_at,
  (array_agg(d.last_error order by d.updated_at desc) filter (where d.last_error is not null))[1] as last_error
from notification_notifications n left join notification_deliveries d on d.notification_id = n.notification_id
where n.revision > n.history_revision
group by n.notification_id
limit $1`;

function statusOf(row: SummaryRow): HistoryStatus {
  if (row.sending > 0) return 'sending';
  if (row.open > 0) return 'pending';
  return row.sent > 0 ? 'sent' : 'failed';
}

function documentOf(row: SummaryRow): HistoryDocument {
  const status = statusOf(row);
  // A push to a user whose every subscription was gone by the time it was dispatched went nowhere.
  const lastError = row.last_error ?? (row.deliveries === 0 ? 'no push subscription was left to send to' : undefined);
  return {
    _id: row.notification_id,
    ...(row.user_id === null ? {} : { userId: row.user_id }),
    channel: row.channel,
    template: row.template,
    status,
    attempts: row.attempts ?? 0,
    deliveries: row.deliveries,
    requestedAt: row.requested_at,
    ...(row.sent_at === null ? {} : { sentAt: row.sent_at }),
    ...(status === 'failed' ? { failedAt: row.failed_at ?? row.requested_at } : {}),
    ...(lastError === undefined ? {} : { lastError }),
    revision: row.revision,
  };
}

/** Options for `createHistorySync`. */
export interface HistorySyncOptions {
  readonly pool: pg.Pool;
  readonly db: Db;
  /** Notifications written per statement. @default 100 */
  readonly batchSize?: number;
}

/**
 * Copies the ledger's changes into the history, like an outbox into MongoDB: each notification whose
 * `revision` moved past `history_revision` is summed up and written whole, guarded by the revision,
 * and then marked as shown. MongoDB being down only delays the history; the ledger keeps the truth,
 * and setting every `history_revision` to 0 rebuilds it. One sync runs at a time across replicas
 * (a session advisory lock), since FerretDB does not apply two writers' updates of one document
 * atomically.
 */
export function createHistorySync({ pool, db, batchSize = 100 }: HistorySyncOptions): () => Promise<void> {
  const history = historyCollection(db);
  let indexed = false;
  return async function sync() {
    if (!indexed) {
      await history.createIndex({ userId: 1, requestedAt: -1, _id: -1 }, { name: 'by_user_newest_first' }, {});
      indexed = true;
    }
    const client = await pool.connect();
    // A sync that failed may have left its session holding the lock (the unlock failing too): that
    // connection is closed rather than pooled, so the lock goes with it.
    let failed = false;
    try {
      const { rows } = await client.query<{ locked: boolean }>("select pg_try_advisory_lock(hashtext('notification-history-sync')) as locked");
      if (rows[0]?.locked !== true) return;
      try {
        for (;;) {
          const changed = await client.query<SummaryRow>(changedSummaries, [batchSize]);
          for (const row of changed.rows) {
            await write(history, documentOf(row));
            await client.query('update notification_notifications set history_revision = greatest(history_revision, $2) where notification_id = $1', [
              row.notification_id,
              row.revision,
            ]);
          }
          if (changed.rows.length < batchSize) return;
        }
      } finally {
        await client.query("select pg_advisory_unlock(hashtext('notification-history-sync'))");
      }
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      client.release(failed);
    }
  };
}

const DUPLICATE_KEY = 11000;

/** Replaces the document unless it already shows this revision or a later one. */
async function write(history: Collection<HistoryDocument>, document: HistoryDocument): Promise<void> {
  const { _id, ...fields } = document;
  try {
    await history.replaceOne({ _id, revision: { $lt: document.revision } }, fields, { upsert: true });
  } catch (error) {
    // The upsert's insert met the document at a later revision: nothing to do.
    if ((error as { code?: unknown }).code !== DUPLICATE_KEY) throw error;
  }
}
