import type { DomainEvent } from '@msa/contracts';
import pg, { type ClientBase } from 'pg';
import type { Logger } from 'pino';
import type { Transaction } from '../postgres/transaction.js';
import type { EventHandler } from './handlers.js';
import type { ReplayMarker, SourceRecord } from './headers.js';
import { isInInbox, recordInInbox } from './inbox.js';
import { unparkAfter } from './parking.js';
import type { PipelineDeps } from './pipeline.js';
import { recordResolution } from './resolutions.js';

/** The outcome of one attempt: the handler's failure is returned, the runner's own is thrown. */
export type AttemptResult =
  | { readonly kind: 'processed' | 'duplicate'; readonly unparked: boolean }
  | { readonly kind: 'failed'; readonly error: unknown };

/** One attempt at one event. */
export interface Attempt {
  readonly event: DomainEvent;
  readonly handler: EventHandler;
  readonly source: SourceRecord;
  readonly replay: ReplayMarker | undefined;
  readonly attempt: number;
  readonly log: Logger;
}

class AbortedTransaction extends Error {
  override readonly name = 'AbortedTransaction';
}

// "current transaction is aborted, commands ignored until end of transaction block"
const IN_FAILED_TRANSACTION = '25P02';

/**
 * Handles the event in one PostgreSQL transaction: a read of the inbox first (a duplicate stops
 * there), then the handler's effects, then the inbox row, then, for a replay's copy, the entry's
 * resolution and the un-parking of its key if it was the key's last dead letter. All of it commits,
 * or none of it.
 *
 * The inbox row is written last because a write takes the transaction's id, and the event store
 * refuses an append from a transaction whose id is older than the stream's last event (the outbox
 * publishes in transaction-id order). Written first, it made a handler that read a stream another
 * writer had appended to meanwhile fail with a `ConcurrencyError` at the very version it read.
 * Two deliveries of one event at once both pass the read; the later inbox insert waits for the
 * earlier transaction and, when that commits, finds the row, and its own effects are rolled back.
 */
export async function attemptHandling(deps: PipelineDeps, attempt: Attempt): Promise<AttemptResult> {
  const { event } = attempt;
  const client = await deps.pool.connect();
  const hooks: (() => void)[] = [];
  const tx: Transaction = { client, afterCommit: (hook) => hooks.push(hook) };
  let unusable = false;
  /** Rolls back; whether the connection can still be used. */
  const rollback = (): Promise<boolean> =>
    client.query('rollback').then(
      () => true,
      () => {
        unusable = true;
        return false;
      },
    );
  try {
    if (await isInInbox(client, deps.group, event.eventId)) return await settleDuplicate(deps, attempt, client);
    await client.query('begin');
    const handled = await handleInTransaction(deps, attempt, tx);
    if (handled.kind === 'processed') {
      runHooks(hooks, attempt.log);
      return handled;
    }
    const usable = await rollback();
    // Another delivery of this event committed first: its inbox row stopped this one at the end, or
    // its effects (a unique row, a stream version) made this handler fail on the way.
    const handledElsewhere = handled.kind === 'conflict' || (usable && (await isInInbox(client, deps.group, event.eventId)));
    if (handledElsewhere) return await settleDuplicate(deps, attempt, client);
    return { kind: 'failed', error: handled.error };
  } catch (error) {
    await rollback();
    throw error;
  } finally {
    client.release(unusable);
  }
}

type HandledInTransaction =
  | { readonly kind: 'processed'; readonly unparked: boolean }
  | { readonly kind: 'conflict' }
  | { readonly kind: 'failed'; readonly error: unknown };

/** The handler, the inbox row and the replay's bookkeeping, then COMMIT; anything that fails is the attempt's failure. */
async function handleInTransaction(deps: PipelineDeps, attempt: Attempt, tx: Transaction): Promise<HandledInTransaction> {
  const { event, source } = attempt;
  try {
    await attempt.handler(event, { tx, message: source, attempt: attempt.attempt, log: attempt.log });
    const fresh = await recordInInbox(tx.client, deps.group, event.eventId, source).catch((error: unknown) => {
      // A handler that swallowed a failed statement left the transaction aborted.
      throw isInFailedTransaction(error) ? new AbortedTransaction('a statement failed inside the handler') : error;
    });
    if (!fresh) return { kind: 'conflict' };
    const unparked = await settleReplay(deps, attempt, tx.client, 'handled');
    const commit = await tx.client.query('commit');
    // COMMIT of an aborted transaction rolls back without an error: that must not pass for success.
    if (commit.command === 'ROLLBACK') throw new AbortedTransaction('a statement failed inside the handler');
    return { kind: 'processed', unparked };
  } catch (error) {
    return { kind: 'failed', error };
  }
}

function isInFailedTransaction(error: unknown): boolean {
  return error instanceof pg.DatabaseError && error.code === IN_FAILED_TRANSACTION;
}

/** A duplicate changes nothing, except that a replay's copy records its entry as resolved and may free its key. */
async function settleDuplicate(deps: PipelineDeps, attempt: Attempt, client: ClientBase): Promise<AttemptResult> {
  if (attempt.replay === undefined) return { kind: 'duplicate', unparked: false };
  await client.query('begin');
  const unparked = await settleReplay(deps, attempt, client, 'duplicate');
  await client.query('commit');
  return { kind: 'duplicate', unparked };
}

async function settleReplay(
  deps: PipelineDeps,
  { replay, source }: Attempt,
  tx: ClientBase,
  outcome: 'handled' | 'duplicate',
): Promise<boolean> {
  if (replay === undefined) return false;
  const entry = { group: deps.group, topic: source.topic, replayId: replay.replayId, deadLetterOffset: replay.deadLetterOffset };
  await recordResolution(tx, { ...entry, partition: source.partition, outcome });
  return source.key !== null && (await unparkAfter(tx, { ...entry, key: source.key }));
}

// The transaction has committed whatever a hook does; a failing hook is logged, never turned into a
// failed attempt that would handle the event twice.
function runHooks(hooks: readonly (() => void)[], log: Logger): void {
  for (const hook of hooks) {
    try {
      hook();
    } catch (error) {
      log.warn({ err: error }, 'after-commit hook failed');
    }
  }
}
