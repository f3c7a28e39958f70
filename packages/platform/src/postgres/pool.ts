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
}

/**
 * A connection pool for one database. Idle connections that die (a server restart, a terminated
 * session) are logged and replaced instead of crashing the process, which is what pg does with an
 * unhandled pool `error` event.
 */
export function createPool({
  connectionString,
  applicationName,
  logger,
  max = 10,
  statementTimeoutMs = 30_000,
}: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    application_name: applicationName,
    max,
    statement_timeout: statementTimeoutMs,
  });
  const log = logger.child({ component: 'postgres-pool' });
  pool.on('error', (error) => {
    log.warn({ err: error }, 'idle connection failed; it will be replaced');
  });
  return pool;
}
