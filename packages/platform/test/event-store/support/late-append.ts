import type pg from 'pg';
import { NO_STREAM, withTransaction, type AppendResult, type EventStore, type Transaction } from '../../../src/index.js';
import { userEvent } from './events.js';
import { latch } from './latch.js';

/** What the late transaction does before and after the other append commits. */
export interface LateAppendSteps<T> {
  /** Its first write, which gives it a transaction id before the other append's. */
  readonly first: (tx: Transaction) => Promise<unknown>;
  /** What it does once the other append has committed; `append` appends after version 2, the other's. */
  readonly rest: (tx: Transaction, append: () => Promise<AppendResult>) => Promise<T>;
}

/**
 * Stages an append that comes too late: `userId`'s stream is at version 1, a transaction writes
 * first, another append takes the stream to version 2 and commits, then the transaction goes on.
 * Settles as that transaction does.
 */
export async function lateAppend<T>(pool: pg.Pool, store: EventStore, userId: string, steps: LateAppendSteps<T>): Promise<T> {
  const streamId = `user-${userId}`;
  await store.append(streamId, NO_STREAM, [userEvent(userId, 1)]);
  const wrote = latch();
  const otherCommitted = latch();

  const late = withTransaction(pool, async (tx) => {
    await steps.first(tx);
    wrote.open();
    await otherCommitted.opened;
    return steps.rest(tx, () => store.append(streamId, 2, [userEvent(userId, 3)], { tx }));
  });
  await wrote.opened;
  await store.append(streamId, 1, [userEvent(userId, 2)]);
  otherCommitted.open();
  return late;
}
