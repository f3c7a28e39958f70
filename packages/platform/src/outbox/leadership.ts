import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { EVENTS_APPENDED_CHANNEL } from '../event-store/schema.js';
import { Lease } from './lease.js';

/** The advisory lock's first key; the second is `hashtext` of the relay's name. Arbitrary but fixed. */
export const RELAY_LOCK_CLASS = 0x4f_55_54_42;

// Heartbeats per leader timeout; the lease ends two of them before the server would end the session.
const HEARTBEATS_PER_TIMEOUT = 6;
const LEASE_SLACK_HEARTBEATS = 2;

/** This process may no longer act as the leader: its session ended, or may have without it noticing. */
export class LeadershipLostError extends Error {
  override readonly name = 'LeadershipLostError';
}

/**
 * Runs statements on the leader's connection, one at a time: the relay pipelines (the next read may
 * start while a checkpoint save runs) and the heartbeat falls due at any moment, but a connection
 * answers one statement at a time, and pg 9 refuses a statement issued while another runs.
 */
export interface SessionStatements {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    statement: string | pg.QueryConfig,
    values?: readonly unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/** A connection holding the relay's leadership lock and listening for appended events. */
export interface LeaderSession {
  readonly client: SessionStatements;
  /** Aborts when the leadership ends without `close`. */
  readonly lost: AbortSignal;
  /** Why `lost` aborted. */
  readonly lostBecause: LeadershipLostError | undefined;
  /** Throws LeadershipLostError unless PostgreSQL answered recently enough that the lock is still held. */
  assertLeading(): void;
  /** Closes the connection, which releases the lock. */
  close(): Promise<void>;
}

/**
 * Opens a dedicated connection and tries to take the relay's session-level advisory lock. Returns
 * the session when this process is now the leader, or undefined when another holds the lock.
 *
 * The lock lives exactly as long as the session, and the session is made to end within `timeoutMs`
 * of the leader going quiet: PostgreSQL ends it after `timeoutMs` without a statement
 * (`idle_session_timeout`), a statement after `timeoutMs` (`statement_timeout`), and a dead peer
 * through TCP keepalives and `tcp_user_timeout`. The leader heartbeats well inside that, and stops
 * acting as the leader once its heartbeats have gone unanswered for long enough that the server may
 * have ended the session (see `Lease`). A frozen process's kernel still answers TCP keepalives, so
 * only the idle timeout frees the lock of a process that is stopped rather than dead. See DESIGN.md.
 */
export async function tryLead(
  config: pg.ClientConfig,
  relay: string,
  timeoutMs: number,
  onNotification: () => void,
): Promise<LeaderSession | undefined> {
  const heartbeatMs = Math.round(timeoutMs / HEARTBEATS_PER_TIMEOUT);
  const client = new pg.Client({
    ...config,
    application_name: `outbox-relay:${relay}`,
    connectionTimeoutMillis: timeoutMs,
  });
  const lost = new AbortController();
  let lostBecause: LeadershipLostError | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let closing = false;
  const lease = new Lease(timeoutMs - LEASE_SLACK_HEARTBEATS * heartbeatMs, performance.now(), () => performance.now());
  const fail = (reason: string, cause?: unknown): void => {
    if (lostBecause !== undefined || closing) return;
    clearInterval(heartbeat);
    lostBecause = new LeadershipLostError(reason, { cause });
    lost.abort(lostBecause);
    // Not a polite end, which waits for a server that may be gone: cutting the socket fails every
    // queued statement at once, and a server that is still there ends the session at once.
    client.connection.stream.destroy();
  };
  client.on('error', (error) => {
    fail('the leader connection failed', error);
  });
  client.on('end', () => {
    fail('the leader connection closed');
  });
  // Statements wait their turn here rather than in the driver. Every answer renews the lease from
  // the moment its statement went out, so a heartbeat is sent only when nothing else is queued.
  let queued = 0;
  let tail: Promise<unknown> = Promise.resolve();
  const statements: SessionStatements = {
    query<R extends pg.QueryResultRow>(statement: string | pg.QueryConfig, values?: readonly unknown[]) {
      queued += 1;
      const answered = tail.then(async () => {
        const sentAt = performance.now();
        const result = await client.query<R>(statement, values as unknown[] | undefined);
        lease.confirm(sentAt);
        return result;
      });
      tail = answered.catch(() => undefined).finally(() => {
        queued -= 1;
      });
      return answered;
    },
  };
  const beat = (): void => {
    if (!lease.holds) {
      fail(`PostgreSQL answered nothing for ${Math.round(lease.silentForMs)} ms: the session may have ended`);
      return;
    }
    if (queued > 0) return;
    statements.query('select 1').catch((error: unknown) => {
      fail('a heartbeat failed', error);
    });
  };
  const close = async (): Promise<void> => {
    closing = true;
    clearInterval(heartbeat);
    if (lostBecause !== undefined) return;
    const cut = setTimeout(() => {
      client.connection.stream.destroy();
    }, timeoutMs);
    await client.end().catch(() => undefined);
    clearTimeout(cut);
  };
  try {
    await client.connect();
    heartbeat = setInterval(beat, heartbeatMs);
    // Before the lock, so that no moment of holding it goes without these bounds.
    await statements.query(
      `select set_config('idle_session_timeout', $1, false), set_config('statement_timeout', $1, false),
              set_config('idle_in_transaction_session_timeout', $1, false), set_config('tcp_user_timeout', $1, false),
              set_config('tcp_keepalives_idle', $2, false), set_config('tcp_keepalives_interval', $3, false),
              set_config('tcp_keepalives_count', '3', false),
              -- Only the checkpoint is written on this connection: losing its last updates in a crash
              -- means republishing a few events (consumers absorb duplicates), never skipping one.
              set_config('synchronous_commit', 'off', false)`,
      [String(timeoutMs), String(Math.max(1, Math.floor(timeoutMs / 3_000))), String(Math.max(1, Math.floor(heartbeatMs / 1_000)))],
    );
    const { rows } = await statements.query<{ locked: boolean }>(
      'select pg_try_advisory_lock($1, hashtext($2)) as locked',
      [RELAY_LOCK_CLASS, relay],
    );
    if (rows[0]?.locked !== true) {
      await close();
      return undefined;
    }
    client.on('notification', onNotification);
    await statements.query(`listen ${EVENTS_APPENDED_CHANNEL}`);
    return {
      client: statements,
      lost: lost.signal,
      get lostBecause() {
        return lostBecause;
      },
      assertLeading() {
        if (lostBecause !== undefined) throw lostBecause;
        if (!lease.holds) throw new LeadershipLostError(`PostgreSQL answered nothing for ${Math.round(lease.silentForMs)} ms`);
      },
      close,
    };
  } catch (error) {
    await close();
    throw lostBecause ?? error;
  }
}
