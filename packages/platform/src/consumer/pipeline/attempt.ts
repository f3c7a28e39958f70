import type { DomainEvent } from '@msa/contracts';
import pg, { type ClientBase } from 'pg';
import type { Logger } from 'pino';
import type { Transaction } from '../../postgres/transaction.js';
import type { ReplayMarker } from '../dead-letter/headers.js';
import { recordResolution } from '../dead-letter/resolutions.js';
import { RetriableError } from '../errors.js';
import type { EventHandler, SourceRecord } from '../handlers.js';
import { isInInbox, recordInInbox } from '../inbox/inbox.js';
import { unparkAfter } from '../parking/parked-keys.js';
import { routeMessage, type MessageRoute } from '../parking/route.js';
import type { PipelineDeps } from './deps.js';
import { readHandlingState } from './handling-state.js';

/** The outcome of one attempt: the handler's failure is returned, the runner's own is thrown. */
export type AttemptResult =
  | { readonly kind: 'processed' | 'duplicate'; readonly unparked: boolean }
  /** The message's key is parked: it is not handled but skipped or sent after its dead letter. */
  | { readonly kind: 'routed'; readonly route: Exclude<MessageRoute, { readonly kind: 'handle' }> }
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

/** An attempt ran past `handlerTimeoutMs`: it is failed and its PostgreSQL session ended. */
export class HandlerTimeoutError extends RetriableError {
  override readonly name = 'HandlerTimeoutError';
}

// "current transaction is aborted, commands ignored until end of transaction block"
const IN_FAILED_TRANSACTION = '25P02';

// The server ends a session idle in its transaction this long after the attempt's own bound: a backstop
// for a runner that cannot act on that bound (its event loop blocked, its process frozen).
const IDLE_IN_TRANSACTION_GRACE_MS = 5_000;

/**
 * Handles the event in one PostgreSQL transaction: one read of the inbox and of the key's parked
 * state first (a parked key or a duplicate stops there), then the handler's effects, then the inbox row, then, for a replay's copy, the entry's
 * resolution and the un-parking of its key if it was the key's last dead letter. All of it commits,
 * or none of it.
 *
 * The inbox row is written last because a write takes the transaction's id, and the event store
 * refuses an append from a transaction whose id is older than the stream's last event (the outbox
 * publishes in transaction-id order). Written first, it made a handler that read a stream another
 * writer had appended to meanwhile fail with a `ConcurrencyError` at the very version it read.
 * Two deliveries of one event at once both pass the read; the later inbox insert waits for the
 * earlier transaction and, when that commits, finds the row, and its own effects are rolled back.
 *
 * The transaction is READ COMMITTED whatever the database's default, so while the handler waits on
 * something else (MongoDB, HTTP) it holds no snapshot, and no transaction id until it writes: the
 * outbox relays' horizon and vacuum move on. The attempt is bounded by `handlerTimeoutMs`, and its
 * session by a statement timeout and an idle-in-transaction timeout, see `HandlerTimeoutError`.
 */
export async function attemptHandling(deps: PipelineDeps, attempt: Attempt): Promise<AttemptResult> {
  const { event } = attempt;
  const client = await connectWithin(deps.pool, deps.handlerTimeoutMs);
  const hooks: (() => void)[] = [];
  const tx: Transaction = { client, afterCommit: (hook) => hooks.push(hook) };
  let unusable = false;
  let released = false;
  // A session the server ends (the idle-in-transaction backstop, a restart) makes its client emit
  // `error` while it is out of the pool, which crashes the process unless someone listens; the
  // statement in flight, if any, fails with the same error.
  const onSessionError = (error: unknown) => {
    unusable = true;
    attempt.log.warn({ err: error }, 'the handler transaction lost its session');
  };
  client.on('error', onSessionError);
  const release = (reason?: Error) => {
    if (released) return;
    released = true;
    client.removeListener('error', onSessionError);
    client.release(reason ?? unusable);
  };
  let inHandler = true;
  let deadline: NodeJS.Timeout | undefined;
  const expired = new Promise<HandlerTimeoutError>((resolve) => {
    deadline = setTimeout(() => {
      const what = inHandler ? 'the handler did not settle' : "the handler's transaction did not commit";
      const timeout = new HandlerTimeoutError(`${what} within ${deps.handlerTimeoutMs} ms; its transaction was ended`);
      // Ending the session rolls the transaction back and frees its locks on the server; a statement
      // in flight fails, and whatever the handler sends later finds the client closed.
      release(timeout);
      resolve(timeout);
    }, deps.handlerTimeoutMs);
  });
  /** Rolls back; whether the connection can still be used. */
  const rollback = (): Promise<boolean> =>
    client.query('rollback').then(
      () => !released,
      () => {
        unusable = true;
        return false;
      },
    );
  try {
    await client.query(
      `begin isolation level read committed;
       set local statement_timeout = ${deps.handlerTimeoutMs};
       set local idle_in_transaction_session_timeout = ${deps.handlerTimeoutMs + IDLE_IN_TRANSACTION_GRACE_MS}`,
    );
    const known = await readHandlingState(client, deps.group, event.eventId, attempt.source);
    const route = routeMessage({ group: deps.group, offset: attempt.source.offset, replay: attempt.replay, parked: known.parked });
    if (route.kind !== 'handle') {
      await rollback();
      return { kind: 'routed', route };
    }
    if (known.handled && deps.inbox) return await settleDuplicate(deps, attempt, client);
    const handling = handleInTransaction(deps, attempt, tx, () => {
      inHandler = false;
    });
    const handled = await Promise.race([handling, expired.then((error) => ({ kind: 'failed', error }) as const)]);
    if (handled.kind === 'processed') {
      runHooks(hooks, attempt.log);
      return handled;
    }
    const usable = await rollback();
    // Another delivery of this event committed first: its inbox row stopped this one at the end, or
    // its effects (a unique row, a stream version) made this handler fail on the way.
    const handledElsewhere = handled.kind === 'conflict' || (usable && (await isInInbox(client, deps.group, event.eventId)));
    if (handledElsewhere) {
      if (attempt.replay === undefined) return { kind: 'duplicate', unparked: false };
      await client.query('begin');
      return await settleDuplicate(deps, attempt, client);
    }
    return { kind: 'failed', error: handled.error };
  } catch (error) {
    await rollback();
    throw error;
  } finally {
    clearTimeout(deadline);
    release();
  }
}

/** A connection from the pool within `ms`; one that comes later goes straight back. */
async function connectWithin(pool: pg.Pool, ms: number): Promise<pg.PoolClient> {
  const connecting = pool.connect();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      connecting.then(
        (client) => {
          client.release();
        },
        () => undefined,
      );
      reject(new Error(`no PostgreSQL connection from the pool within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([connecting, late]);
  } finally {
    clearTimeout(timer);
  }
}

type HandledInTransaction =
  | { readonly kind: 'processed'; readonly unparked: boolean }
  | { readonly kind: 'conflict' }
  | { readonly kind: 'failed'; readonly error: unknown };

/**
 * The handler, the inbox row and the replay's bookkeeping, then COMMIT; anything that fails is the
 * attempt's failure. `handlerSettled` is called once the handler's own part is over.
 */
async function handleInTransaction(
  deps: PipelineDeps,
  attempt: Attempt,
  tx: Transaction,
  handlerSettled: () => void,
): Promise<HandledInTransaction> {
  const { event, source } = attempt;
  try {
    try {
      await attempt.handler(event, { tx, message: source, attempt: attempt.attempt, log: attempt.log });
    } finally {
      handlerSettled();
    }
    const recorded = deps.inbox ? recordInInbox(tx.client, deps.group, event.eventId, source) : Promise.resolve(true);
    const fresh = await recorded.catch((error: unknown) => {
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

/**
 * A duplicate changes nothing, except that a replay's copy records its entry as resolved and may free
 * its key: in the transaction open on `client`, which this ends.
 */
async function settleDuplicate(deps: PipelineDeps, attempt: Attempt, client: ClientBase): Promise<AttemptResult> {
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
