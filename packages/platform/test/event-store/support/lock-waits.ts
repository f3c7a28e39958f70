import type pg from 'pg';

/** What a backend of the test's database is blocked on: a table lock, or another transaction's row. */
export type LockWait = 'relation' | 'transactionid';

/**
 * Resolves once `count` sessions of the pool's database wait on a lock of that kind, so a test can
 * release a peer it holds only after the racers it set up are all stuck behind it. Polls, bounded by
 * `timeoutMs`, since PostgreSQL has no event for a session starting to wait.
 */
export async function lockWaiters(
  pool: pg.Pool,
  kind: LockWait,
  count: number,
  { timeoutMs = 20_000 }: { readonly timeoutMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ waiting: number }>(
      `select count(*)::int as waiting from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and wait_event = $1`,
      [kind],
    );
    const waiting = rows[0]?.waiting ?? 0;
    if (waiting >= count) return;
    if (Date.now() > deadline) throw new Error(`${waiting} of ${count} sessions waited on a ${kind} lock within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
