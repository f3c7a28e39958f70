import type { Pool, PoolClient } from 'pg';

/**
 * A session-level PostgreSQL advisory lock held on a connection of its own. It spans many short
 * statements (each committing on its own) without an open transaction, and ends with the session if
 * the program dies.
 */
export interface AdvisoryLock {
  /** The connection holding the lock; statements run on it commit one by one. */
  readonly client: PoolClient;
  /** Unlocks and returns the connection to the pool; never throws. */
  release(): Promise<void>;
}

/** Takes the lock called `name` if no other session holds it; `undefined` when one does. */
export async function tryAdvisoryLock(pool: Pool, name: string): Promise<AdvisoryLock | undefined> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [name]);
    if (rows[0]?.locked === true) return { client, release: () => unlock(client, name) };
  } catch (error) {
    client.release(error instanceof Error ? error : true);
    throw error;
  }
  client.release();
  return undefined;
}

async function unlock(client: PoolClient, name: string): Promise<void> {
  try {
    await client.query('select pg_advisory_unlock(hashtext($1))', [name]);
    client.release();
  } catch (error) {
    // Discarding the connection ends its session, which releases the lock too.
    client.release(error instanceof Error ? error : true);
  }
}
