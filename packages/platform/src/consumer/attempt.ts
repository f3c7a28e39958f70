import type { DomainEvent } from '@msa/contracts';
import type { ClientBase } from 'pg';
import type { Logger } from 'pino';
import type { Transaction } from '../postgres/transaction.js';
import type { EventHandler } from './handlers.js';
import type { ReplayMarker, SourceRecord } from './headers.js';
import { recordInInbox } from './inbox.js';
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

/**
 * Handles the event in one PostgreSQL transaction: the inbox row first (a duplicate stops there),
 * then the handler's effects, then, for a replay's copy, the entry's resolution and the un-parking of
 * its key if it was the key's last dead letter. All of it commits, or none of it.
 */
export async function attemptHandling(deps: PipelineDeps, attempt: Attempt): Promise<AttemptResult> {
  const { event, source } = attempt;
  const client = await deps.pool.connect();
  const hooks: (() => void)[] = [];
  const tx: Transaction = { client, afterCommit: (hook) => hooks.push(hook) };
  let unusable = false;
  const rollback = () =>
    client.query('rollback').catch(() => {
      unusable = true;
    });
  try {
    await client.query('begin');
    const fresh = await recordInInbox(client, deps.group, event.eventId, source);
    if (!fresh) {
      const unparked = await settleReplay(deps, attempt, client, 'duplicate');
      await client.query('commit');
      return { kind: 'duplicate', unparked };
    }
    try {
      await attempt.handler(event, { tx, message: source, attempt: attempt.attempt, log: attempt.log });
      const unparked = await settleReplay(deps, attempt, client, 'handled');
      const commit = await client.query('commit');
      // A handler that swallowed a failed statement leaves the transaction aborted, and COMMIT then
      // rolls back without an error: that must not pass for success.
      if (commit.command === 'ROLLBACK') throw new AbortedTransaction('a statement failed inside the handler');
      runHooks(hooks, attempt.log);
      return { kind: 'processed', unparked };
    } catch (error) {
      await rollback();
      return { kind: 'failed', error };
    }
  } catch (error) {
    await rollback();
    throw error;
  } finally {
    client.release(unusable);
  }
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
