import type pg from 'pg';

/**
 * An open PostgreSQL transaction. Platform pieces that write (the event store, the consumer's inbox)
 * accept one so a caller can make their writes and its own atomic.
 */
export interface Transaction {
  /** The connection the transaction runs on; statements issued on it are part of the transaction. */
  readonly client: pg.ClientBase;
  /**
   * Runs `hook` once the transaction has committed, never if it rolls back. For side effects that must
   * not happen inside the transaction, such as waking the outbox relay.
   */
  afterCommit(hook: () => void): void;
}

/**
 * Runs `work` in a transaction on a connection from `pool`: commits when it resolves, rolls back when
 * it throws (rethrowing the error), then runs the after-commit hooks. A connection whose rollback fails
 * is discarded rather than returned to the pool in an unknown state.
 */
export async function withTransaction<T>(pool: pg.Pool, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const hooks: (() => void)[] = [];
  const tx: Transaction = { client, afterCommit: (hook) => hooks.push(hook) };
  let result: T;
  try {
    await client.query('begin');
    result = await work(tx);
    await client.query('commit');
  } catch (error) {
    const rollback = await client.query('rollback').then(
      () => undefined,
      (rollbackError: unknown) => rollbackError,
    );
    client.release(rollback instanceof Error ? rollback : undefined);
    throw error;
  }
  client.release();
  for (const hook of hooks) hook();
  return result;
}
