import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DomainEvent } from '@msa/contracts';
import type { Collection, Db } from 'mongodb';
import type pg from 'pg';
import type { Logger } from 'pino';
import { tryAdvisoryLock } from '../consumer/advisory-lock.js';
import type { EventStore } from '../event-store/event-store.js';
import { applyBatch } from './documents.js';
import { RebuildInProgressError } from './errors.js';
import { isHandledBy, type ReadModelDefinition } from './read-model.js';
import type { ReadModelPointer } from './pointer.js';
import type { VersionedDocument } from './versioned-document.js';

/** Options for a read model's `rebuild`. */
export interface RebuildOptions {
  /** The service's event store; the rebuild reads its global log. */
  readonly store: Pick<EventStore, 'readAll'>;
  /** The event store's database: it holds the rebuild lock and the lock live writers share. */
  readonly pool: pg.Pool;
  readonly logger: Logger;
  /**
   * How long the replaced collection outlives the switch before it is dropped: at least the longest
   * MongoDB call of a reader or live writer (their `MONGO_TIMEOUT`), so that none that looked up the
   * pointer just before the switch still reads or writes it once it is gone.
   */
  readonly retireAfterMs: number;
  /** Events read from the global log at a time. @default 1000 */
  readonly batchSize?: number;
  /**
   * Longest wait for the live writes in flight to finish before the switch. The rebuild fails rather
   * than wait longer, leaving the read model as it was. @default 10000
   */
  readonly switchLockTimeoutMs?: number;
  readonly now?: () => Date;
}

/** What a rebuild did. */
export interface RebuildResult {
  /** The collection now serving the read model. */
  readonly collection: string;
  /** The collection it replaced, now dropped. */
  readonly replaced: string;
  /** Events of the read model's types replayed, the catch-up before the switch included. */
  readonly events: number;
}

/** What the rebuild needs of a read model beside the options. */
export interface RebuildTarget<D extends VersionedDocument, E extends DomainEvent> {
  readonly db: Db;
  readonly definition: ReadModelDefinition<D, E>;
  readonly pointer: ReadModelPointer;
  /** The advisory lock held for the whole rebuild, so only one runs at a time. */
  readonly rebuildLock: string;
  /** The advisory lock live writers share while they write; the switch takes it alone. */
  readonly writersLock: string;
  /** Creates a read model's indexes on `collection`. */
  indexed(collection: Collection<D>): Promise<Collection<D>>;
}

/**
 * Rebuilds a read model from the event log into a fresh collection and switches to it; see DESIGN.md.
 * The fresh collection has one writer, the rebuild, until the switch. The switch itself happens while
 * no live writer is writing: the rebuild takes the writers' lock alone, replays what is left, points
 * readers and writers at the fresh collection and lets go; so the fresh collection holds at least
 * every event the old one had, and no write can reach the old one after it. The old collection is
 * dropped `retireAfterMs` later.
 *
 * @throws RebuildInProgressError when another rebuild of the read model is running.
 */
export async function rebuildReadModel<D extends VersionedDocument, E extends DomainEvent>(
  target: RebuildTarget<D, E>,
  { store, pool, logger, retireAfterMs, batchSize = 1_000, switchLockTimeoutMs = 10_000, now = () => new Date() }: RebuildOptions,
): Promise<RebuildResult> {
  const { db, definition, pointer } = target;
  const { name } = definition;
  const log = logger.child({ component: 'read-model-rebuild', readModel: name });
  const lock = await tryAdvisoryLock(pool, target.rebuildLock);
  if (lock === undefined) throw new RebuildInProgressError(name);
  try {
    const replaced = await pointer.active();
    await dropLeftovers(db, name, replaced, log);
    const fresh = await target.indexed(await db.createCollection<D>(`${name}_rebuilt_${collectionSuffix(now())}`));
    try {
      log.info({ collection: fresh.collectionName }, 'replaying the event log into a fresh collection');
      const replay = (after: number) => replayInto(fresh, definition, store, after, batchSize);
      const first = await replay(0);
      const rest = await whileWritersWait(lock.client, target.writersLock, switchLockTimeoutMs, async () => {
        const caughtUp = await replay(first.position);
        await pointer.switchTo(replaced, fresh.collectionName, now());
        return caughtUp;
      });
      const events = first.events + rest.events;
      log.info({ collection: fresh.collectionName, replaced, events, caughtUp: rest.events }, 'switched to the rebuilt collection');
      await sleep(retireAfterMs);
      await db.collection(replaced).drop();
      log.info({ collection: fresh.collectionName, dropped: replaced }, 'rebuild complete');
      return { collection: fresh.collectionName, replaced, events };
    } catch (error) {
      await discard(fresh, pointer, log);
      throw error;
    }
  } finally {
    await lock.release();
  }
}

/** Applies every handled event after `after`, a batch at a time, until a batch comes back short. */
async function replayInto<D extends VersionedDocument, E extends DomainEvent>(
  collection: Collection<D>,
  definition: ReadModelDefinition<D, E>,
  store: Pick<EventStore, 'readAll'>,
  after: number,
  batchSize: number,
): Promise<{ position: number; events: number }> {
  let position = after;
  let events = 0;
  for (;;) {
    const batch = await store.readAll(position, batchSize);
    const handled = batch.map(({ event }) => event).filter((event) => isHandledBy<E>(definition, event));
    if (handled.length > 0) await applyBatch(collection, definition, handled);
    events += handled.length;
    position = batch.at(-1)?.position ?? position;
    // A short batch held everything committed below the log's horizon when it was read, and the
    // horizon only moves forward: stopping here misses nothing older. Waiting for an empty batch
    // instead might never end while the service keeps appending.
    if (batch.length < batchSize) return { position, events };
  }
}

/**
 * Runs `work` holding the writers' lock alone, in a transaction on the rebuild lock's own connection
 * (so the switch can only happen while this rebuild still holds the rebuild lock). Taking it waits
 * for the live writes in flight to commit; live writers that come later wait for `work` to end.
 */
async function whileWritersWait<T>(client: pg.ClientBase, lockName: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  await client.query('begin');
  try {
    await client.query("select set_config('lock_timeout', $1, true)", [`${timeoutMs}ms`]);
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [lockName]);
    const result = await work();
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}

/**
 * Drops what earlier rebuilds left of the read model: collections they created but never switched to
 * (they failed) and collections they switched away from but had not dropped yet (they stopped). None
 * is named by the pointer, and this rebuild holds the rebuild lock, so no writer targets them.
 */
async function dropLeftovers(db: Db, name: string, active: string, log: Logger): Promise<void> {
  const ours = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(_rebuilt_[0-9a-z]+)?$`);
  const collections = await db.listCollections({}, { nameOnly: true }).toArray();
  for (const { name: collection } of collections) {
    if (collection === active || !ours.test(collection)) continue;
    await db.collection(collection).drop();
    log.info({ collection }, 'dropped a collection an earlier rebuild left behind');
  }
}

/**
 * Drops the fresh collection of a rebuild that failed, unless the pointer names it: the failure came
 * after the switch, or the switch's answer was lost but it happened. Then it serves, and stays.
 */
async function discard<D extends VersionedDocument>(fresh: Collection<D>, pointer: ReadModelPointer, log: Logger): Promise<void> {
  try {
    if ((await pointer.active()) !== fresh.collectionName) await fresh.drop();
  } catch (error) {
    log.warn({ err: error, collection: fresh.collectionName }, 'could not drop the unfinished collection; the next rebuild will');
  }
}

/** Sorts by time, and two rebuilds in one millisecond still differ. */
function collectionSuffix(at: Date): string {
  return `${at.getTime().toString(36)}${randomBytes(2).toString('hex')}`;
}
