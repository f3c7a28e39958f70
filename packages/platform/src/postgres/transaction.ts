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
 * COMMIT found the transaction aborted and rolled it back: a statement inside it failed and the work
 * went on (it caught the error and returned normally), so nothing it wrote exists. Not retriable as
 * it is: the same work would hide the same failure again.
 */
export class TransactionRolledBackError extends Error {
  override readonly name = 'TransactionRolledBackError';
  readonly retriable = false;

  constructor() {
    super('the transaction was rolled back at COMMIT: a statement in it failed and the error was not rethrown');
  }
}

/**
 * Runs `work` in a transaction on a connection from `pool`: commits when it resolves, rolls back when
 * it throws (rethrowing the error), then runs the after-commit hooks. A connection whose rollback fails
 * is discarded rather than returned to the pool in an unknown state.
 *
 * @throws TransactionRolledBackError when `work` resolved but a statement in it had failed, so COMMIT
 * rolled the transaction back; the after-commit hooks do not run.
 */
export async function withTransaction<T>(pool: pg.Pool, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const hooks: (() => void)[] = [];
  const tx: Transaction = { client, afterCommit: (hook) => hooks.push(hook) };
  let result: T;
  let commit: pg.QueryResult;
  try {
    await client.query('begin');
    result = await work(tx);
    commit = await client.query('commit');
  } catch (error) {
    const rollback = await client.query('rollback').then(
      () => undefined,
      (rollbackError: unknown) => rollbackError,
    );
    client.release(rollback instanceof Error ? rollback : undefined);
    throw error;
  }
  client.release();
  // PostgreSQL answers COMMIT of an aborted transaction with the tag ROLLBACK, not an error. The
  // connection is clean again, but the hooks would record effects (a stream version, a cached state)
  // of writes that never happened.
  if (commit.command === 'ROLLBACK') throw new TransactionRolledBackError();
  for (const hook of hooks) hook();
  return result;
}
