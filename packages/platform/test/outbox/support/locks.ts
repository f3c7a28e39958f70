import type pg from 'pg';
import { RELAY_LOCK_CLASS } from '../../../src/outbox/leadership.js';

/** The backends of the pool's database holding relay `relay`'s leadership lock, as PostgreSQL sees them. */
export async function relayLockHolders(pool: pg.Pool, relay: string): Promise<number[]> {
  const { rows } = await pool.query<{ pid: number }>(
    `select pid from pg_locks
      where locktype = 'advisory' and granted and objsubid = 2
        and database = (select oid from pg_database where datname = current_database())
        and classid = $1::oid and objid = hashtext($2)::oid`,
    [RELAY_LOCK_CLASS, relay],
  );
  return rows.map((row) => row.pid);
}
