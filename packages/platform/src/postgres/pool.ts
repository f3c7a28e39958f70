import pg from 'pg';
import type { Logger } from 'pino';

/** Options for `createPool`. */
export interface PoolOptions {
  /** `postgres://user:password@host:port/database`. */
  readonly connectionString: string;
  /** Shown in `pg_stat_activity`, so a session can be traced to its program. */
  readonly applicationName: string;
  readonly logger: Logger;
  /** Most connections open at once. @default 10 */
  readonly max?: number;
  /** A statement running longer is cancelled by the server. @default 30000 */
  readonly statementTimeoutMs?: number;
  /**
   * How long `pool.connect()` (and so `withTransaction`, the event store, `pool.query`) waits for a
   * connection, whether for one to free up or for a new one to open, before it rejects. @default 10000
   */
  readonly connectionTimeoutMs?: number;
}

/**
 * A connection pool for one database. Connections that die (a server restart, a terminated
 * session, a lost network) are logged and replaced instead of crashing the process, which is what pg
 * does with an unhandled `error` event: the pool's for an idle connection, and the connection's own
 * for one checked out, whose holder gets the same error as the rejection of its query.
 *
 * Getting a connection is bounded by `connectionTimeoutMs`: pg waits forever without it, so an
 * exhausted pool or a server that does not answer would hold every request. pg then rejects with
 * "timeout exceeded when trying to connect" (none freed up) or "Connection terminated due to
 * connection timeout" (a new one did not open), which the HTTP kit answers with 503. The consumer
 * runner bounds its own checkouts by its handler timeout (30 s by default) as well; the shorter
 * bound ends the wait, and the runner retries either failure alike.
 *
 * @throws RangeError for a connection timeout that is not a positive whole number of ms (pg takes
 * 0 for no bound at all).
 */
export function createPool({
  connectionString,
  applicationName,
  logger,
  max = 10,
  statementTimeoutMs = 30_000,
  connectionTimeoutMs = 10_000,
}: PoolOptions): pg.Pool {
  if (!Number.isSafeInteger(connectionTimeoutMs) || connectionTimeoutMs <= 0) {
    throw new RangeError(`connectionTimeoutMs must be a positive whole number of ms, got ${connectionTimeoutMs}`);
  }
  const pool = new pg.Pool({
    connectionString,
    application_name: applicationName,
    max,
    statement_timeout: statementTimeoutMs,
    connectionTimeoutMillis: connectionTimeoutMs,
  });
  const log = logger.child({ component: 'postgres-pool' });
  // pg-pool listens on a connection only while it is idle (and then emits the pool's `error`), so
  // every connection gets a listener of its own, which logs: checked out, the holder's query rejects
  // with the same error, and its release discards the connection. The pool's event is that one again.
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      log.warn({ err: error }, 'connection failed; it will be replaced');
    });
  });
  pool.on('error', () => undefined);
  return pool;
}
