import type { DomainEvent, EventType } from '@msa/contracts';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Transaction } from '../postgres/transaction.js';
import { injectTraceHeaders } from '../telemetry/propagation.js';
import { AppendBatcher, type AppendBatchLimits, type PendingAppend } from './append-batcher.js';
import { appendRequest, batchRequest } from './append-request.js';
import { ConcurrencyError } from './errors.js';
import { createAppendNotifier } from './notifier.js';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow, type RecordedEvent } from './rows.js';
import { TRANSACTION_ORDER_SQLSTATE } from './schema.js';
import { StreamLanes } from './stream-lanes.js';

/** Where a statement runs: inside the caller's transaction, or on its own. */
export interface InTransaction {
  /** Run inside this transaction; otherwise the call is a transaction of its own. */
  readonly tx?: Transaction;
}

/** The outcome of a successful append. */
export interface AppendResult {
  /** The stream's version now: the expected version of the next append. */
  readonly nextExpectedVersion: number;
}

/** A stream's events, upcast to their current shapes, in version order. */
export interface StreamEvents {
  /** The version of the last event read; 0 when the stream does not exist. */
  readonly version: number;
  readonly events: readonly DomainEvent[];
}

/** Options for `readStream`. */
export interface ReadStreamOptions extends InTransaction {
  /** Read only events after this version. @default 0 */
  readonly afterVersion?: number;
}

/** Events that occurred in `[from, to)`, optionally narrowed. */
export interface TimeRangeQuery {
  readonly from: Date;
  readonly to: Date;
  readonly eventTypes?: readonly EventType[];
  readonly aggregateType?: DomainEvent['aggregateType'];
  /** @default 1000 */
  readonly limit?: number;
}

/** Event-sourced persistence: streams of events with optimistic concurrency, and a global log. */
export interface EventStore {
  /**
   * Appends `events` to `streamId` if the stream is still at `expectedVersion` (`NO_STREAM` for a new
   * stream). The events' `version`s must count on from it. Scheduling their publication to Kafka is
   * part of the same transaction. Inside a caller's transaction, append before other writes: see
   * `ConcurrencyError.actual`.
   *
   * @throws ConcurrencyError when the stream moved on; nothing was written, and a caller's
   * transaction stays usable.
   * @throws InvalidAppendError when the events cannot follow `expectedVersion`.
   */
  append(
    streamId: string,
    expectedVersion: number,
    events: readonly DomainEvent[],
    options?: InTransaction,
  ): Promise<AppendResult>;
  /** Reads a stream in version order, upcasting each event. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StreamEvents>;
  /**
   * Reads the global log after `afterPosition` (0 for the start): up to `limit` events in commit-safe
   * order, which is position order within each stream. Only events of finished transactions are
   * returned, so a reader that passes back the last position it got never skips an event that
   * commits later. Pass 0 or a position this method returned.
   *
   * @throws RangeError when `afterPosition` holds no event.
   */
  readAll(afterPosition?: number, limit?: number): Promise<readonly RecordedEvent[]>;
  /** Events whose `occurredAt` lies in `[from, to)`, ordered by it. */
  readByTimeRange(query: TimeRangeQuery): Promise<readonly RecordedEvent[]>;
}

/** Options for `createEventStore`. */
export interface EventStoreOptions {
  /** The service's database, migrated with `eventStoreMigrations`. */
  readonly pool: pg.Pool;
  readonly logger: Logger;
  /** How many streams' last versions to remember, to refuse bound-to-conflict appends early. @default 10000 */
  readonly streamCacheSize?: number;
  /**
   * Group commit for appends made outside a caller's transaction: while that many transactions are
   * in flight, further appends wait and share the next one. Each transaction in flight holds a
   * pool connection.
   */
  readonly appendBatch?: AppendBatchLimits;
  /** Called once each append has committed, with the stream and its versions before and after: the control build's publish after commit. */
  readonly onCommitted?: (streamId: string, before: number, after: number) => void;
}

const UNIQUE_VIOLATION = '23505';

function sqlState(error: unknown): string | undefined {
  return error instanceof pg.DatabaseError ? error.code : undefined;
}

/** The PostgreSQL event store. */
export function createEventStore({ pool, logger, streamCacheSize = 10_000, appendBatch, onCommitted }: EventStoreOptions): EventStore {
  const log = logger.child({ component: 'event-store' });
  const notifyAppended = createAppendNotifier(pool, log);
  const lanes = new StreamLanes(streamCacheSize);

  async function currentVersion(streamId: string): Promise<number> {
    const { rows } = await pool.query<{ version: number }>(
      'select coalesce(max(version), 0) as version from events where stream_id = $1',
      [streamId],
    );
    return rows[0]?.version ?? 0;
  }

  /** Runs `append_events` on its own; returns the stream's version before the append (the expected one when it appended). */
  async function appendEvents(streamId: string, expectedVersion: number, request: string): Promise<number> {
    try {
      const { rows } = await pool.query<{ version: number }>({
        name: 'append_events',
        text: 'select append_events($1, $2, $3) as version',
        values: [streamId, expectedVersion, request],
      });
      return rows[0]?.version ?? expectedVersion;
    } catch (error) {
      const code = sqlState(error);
      if (code === TRANSACTION_ORDER_SQLSTATE) throw new ConcurrencyError(streamId, expectedVersion, expectedVersion);
      // Two appends that passed the version check together meet at the unique constraint, which
      // fails the later one once the earlier commits: the stream is then past the expected version.
      if (code === UNIQUE_VIOLATION && (error as pg.DatabaseError).constraint === 'events_stream_version_key') {
        return Math.max(await currentVersion(streamId), expectedVersion + 1);
      }
      throw error;
    }
  }

  /**
   * Runs `append_events_in_transaction` in the caller's transaction, which turns the refusals above
   * into answers inside the function, so the transaction is still usable when they come.
   */
  async function appendInTransaction(
    tx: Transaction,
    streamId: string,
    expectedVersion: number,
    request: string,
  ): Promise<number> {
    const { rows } = await tx.client.query<{ actual_version: number; out_of_order: boolean }>({
      name: 'append_events_in_transaction',
      text: 'select actual_version, out_of_order from append_events_in_transaction($1, $2, $3)',
      values: [streamId, expectedVersion, request],
    });
    const [row] = rows;
    if (row === undefined) throw new Error('append_events_in_transaction returned no row');
    if (row.out_of_order) throw new ConcurrencyError(streamId, expectedVersion, expectedVersion);
    return row.actual_version;
  }

  const batcher = new AppendBatcher(
    {
      appendOne: ({ streamId, expectedVersion, request }: PendingAppend) =>
        appendEvents(streamId, expectedVersion, request),
      async appendMany(appends) {
        const { rows } = await pool.query<{ versions: number[] }>({
          name: 'append_events_batch',
          text: 'select append_events_batch($1) as versions',
          values: [batchRequest(appends)],
        });
        return rows[0]?.versions ?? [];
      },
      // The server answered, so the transaction rolled back and nothing was written. Any other
      // failure (a lost connection) leaves the outcome unknown: the appends may have committed, and
      // sent again they would be reported as conflicting with themselves.
      isRetriableAlone: (error) => error instanceof pg.DatabaseError,
    },
    appendBatch,
  );

  return {
    async append(streamId, expectedVersion, events, { tx } = {}) {
      const traceHeaders = injectTraceHeaders();
      const stale = (): ConcurrencyError | undefined => {
        const known = lanes.knownVersion(streamId);
        return known !== undefined && known > expectedVersion
          ? ConcurrencyError.expected(streamId, expectedVersion, known)
          : undefined;
      };
      return lanes.run(streamId, stale, async () => {
        const request = appendRequest(expectedVersion, events, traceHeaders);
        const actual =
          tx === undefined
            ? await batcher.submit({ streamId, expectedVersion, request })
            : await appendInTransaction(tx, streamId, expectedVersion, request);
        // Inside a caller's transaction the versions seen may be its own uncommitted events, so they
        // are remembered only once it commits: a remembered version must never be too high.
        const onceCommitted = (effect: () => void): void => {
          if (tx === undefined) effect();
          else tx.afterCommit(effect);
        };
        if (actual !== expectedVersion) {
          onceCommitted(() => {
            lanes.remember(streamId, actual);
          });
          throw ConcurrencyError.expected(streamId, expectedVersion, actual);
        }
        const nextExpectedVersion = expectedVersion + events.length;
        onceCommitted(() => {
          lanes.remember(streamId, nextExpectedVersion);
          notifyAppended();
          onCommitted?.(streamId, expectedVersion, nextExpectedVersion);
        });
        return { nextExpectedVersion };
      });
    },

    async readStream(streamId, { afterVersion = 0, tx } = {}) {
      const { rows } = await (tx?.client ?? pool).query<EventRow>({
        name: 'read_stream',
        text: `select ${EVENT_COLUMNS} from events where stream_id = $1 and version > $2 order by version`,
        values: [streamId, afterVersion],
      });
      const events = rows.map((row) => toRecordedEvent(row).event);
      return { version: events.at(-1)?.version ?? afterVersion, events };
    },

    async readAll(afterPosition = 0, limit = 1_000) {
      let after = { transactionId: '0', position: 0 };
      if (afterPosition !== 0) {
        const { rows } = await pool.query<{ transaction_id: string }>(
          'select transaction_id::text from events where position = $1',
          [afterPosition],
        );
        const [row] = rows;
        if (row === undefined) throw new RangeError(`no event at position ${afterPosition}`);
        after = { transactionId: row.transaction_id, position: afterPosition };
      }
      const { rows } = await pool.query<EventRow>({
        name: 'read_all',
        text: `select ${EVENT_COLUMNS} from events
                where (transaction_id, position) > ($1::xid8, $2::bigint)
                  and transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                order by transaction_id, position
                limit $3`,
        values: [after.transactionId, after.position, limit],
      });
      return rows.map(toRecordedEvent);
    },

    async readByTimeRange({ from, to, eventTypes, aggregateType, limit = 1_000 }) {
      const { rows } = await pool.query<EventRow>({
        name: 'read_by_time_range',
        text: `select ${EVENT_COLUMNS} from events
                where occurred_at >= $1 and occurred_at < $2
                  and ($3::text[] is null or event_type = any($3))
                  and ($4::text is null or aggregate_type = $4)
                order by occurred_at, position
                limit $5`,
        values: [from, to, eventTypes ?? null, aggregateType ?? null, limit],
      });
      return rows.map(toRecordedEvent);
    },
  };
}
