import type { DomainEvent } from '@msa/contracts';
import { MongoServerError, type AnyBulkWriteOperation, type Collection, type Filter, type OptionalUnlessRequiredId } from 'mongodb';
import { ReadModelConflictError } from './errors.js';
import type { ReadModelDefinition } from './read-model.js';
import { ProjectionGapError, type ProjectedFields, type ProjectionOutcome, type VersionedDocument } from './versioned-document.js';

const DUPLICATE_KEY = 11000;

/** `fields` stamped with the id and stream version of the event that made them: a whole D. */
function stamped<D extends VersionedDocument>(fields: ProjectedFields<D>, event: DomainEvent): D {
  // evolve returns every field but the two the platform owns, so adding them makes a whole D.
  return { ...fields, _id: event.aggregateId, version: event.version } as unknown as D;
}

function gap(collection: string, event: DomainEvent): ProjectionGapError {
  return new ProjectionGapError(`${collection} has no document ${event.aggregateId} to apply ${event.eventType} version ${event.version} to`);
}

/** The document `event` makes of `current`, stamped with its id and stream version. */
function nextDocument<D extends VersionedDocument, E extends DomainEvent>(
  definition: ReadModelDefinition<D, E>,
  collection: string,
  current: D | undefined,
  event: E,
): D {
  const next = definition.evolve(current, event);
  if (next === undefined) throw gap(collection, event);
  return stamped<D>(next, event);
}

const byId = <D extends VersionedDocument>(id: string) => ({ _id: id }) as Filter<D>;

/**
 * The events of a stream after `afterVersion` up to and including the one being applied, from the
 * service's event store; `undefined` when the store does not hold them.
 */
export type EarlierEvents<E extends DomainEvent> = (afterVersion: number) => Promise<readonly E[] | undefined>;

/**
 * Applies one event to its document as a live projection does: reads the stored document, skips the
 * event if the document is as new or newer, and otherwise writes the whole next document, guarded by
 * the version it was computed from. The caller serializes writers of a document (FerretDB applies an
 * update as a read and a separate write), so the guard only catches a writer that skipped the lock.
 *
 * An event that cannot follow the stored document (it overtook its stream's creation, or skips versions
 * the stored document has not seen, which travel on other topics) is applied by folding `earlier`, the
 * stream up to it, instead: the document is then the one in-order delivery would have made, and the
 * overtaken events find it newer (`stale`). Without `earlier`, a skipping event applies as it comes.
 *
 * @throws ProjectionGapError when the event needs a document that does not exist yet and `earlier`
 * cannot supply the events before it.
 * @throws ReadModelConflictError when the document changed between the read and the write.
 */
export async function applyEvent<D extends VersionedDocument, E extends DomainEvent>(
  collection: Collection<D>,
  definition: ReadModelDefinition<D, E>,
  event: E,
  earlier?: EarlierEvents<E>,
): Promise<ProjectionOutcome> {
  const stored = (await collection.findOne(byId<D>(event.aggregateId))) as D | null;
  if (stored !== null && stored.version >= event.version) return 'stale';
  const current = stored ?? undefined;
  // An event that skips versions overtook others of its stream (they travel on other topics): applied
  // straight onto the stored document it would lose them, and they would then find it newer.
  const skipped = current !== undefined && event.version > current.version + 1;
  const folded = skipped ? await foldedFromStream(definition, collection.collectionName, current, event, earlier) : undefined;
  const next = folded === undefined ? definition.evolve(current, event) : undefined;
  const document =
    folded ?? (next === undefined ? await caughtUp(definition, collection.collectionName, current, event, earlier) : stamped<D>(next, event));
  const conflict = () =>
    new ReadModelConflictError(`${collection.collectionName} document ${event.aggregateId} changed while version ${event.version} was applied`);
  if (stored === null) {
    try {
      await collection.insertOne(document as OptionalUnlessRequiredId<D>);
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) throw conflict();
      throw error;
    }
    return 'applied';
  }
  const guard = { _id: event.aggregateId, version: stored.version } as Filter<D>;
  const { matchedCount } = await collection.replaceOne(guard, document);
  if (matchedCount !== 1) throw conflict();
  return 'applied';
}

/**
 * `current` moved to `event`'s version through every handled event of its stream since, as stored:
 * the stored copy of `event` included, so the fold sees the same upcast shapes a rebuild does.
 * `undefined` when the stream cannot be had (not this store's, or not holding this very event).
 */
async function foldedFromStream<D extends VersionedDocument, E extends DomainEvent>(
  definition: ReadModelDefinition<D, E>,
  collection: string,
  current: D | undefined,
  event: E,
  earlier: EarlierEvents<E> | undefined,
): Promise<D | undefined> {
  const events = (await earlier?.(current?.version ?? 0)) ?? [];
  const stored = events.at(-1);
  if (stored?.eventId !== event.eventId) return undefined;
  const before = events.slice(0, -1).reduce((document, each) => nextDocument(definition, collection, document, each), current);
  return nextDocument(definition, collection, before, stored);
}

/** {@link foldedFromStream} for an event with no document to follow: only the stream can help. */
async function caughtUp<D extends VersionedDocument, E extends DomainEvent>(
  definition: ReadModelDefinition<D, E>,
  collection: string,
  current: D | undefined,
  event: E,
  earlier: EarlierEvents<E> | undefined,
): Promise<D> {
  const document = await foldedFromStream(definition, collection, current, event, earlier);
  if (document === undefined) throw gap(collection, event);
  return document;
}

/**
 * Applies a batch of events, in order, to a collection nobody else writes (a rebuild's fresh one):
 * one read of the documents they touch, the folding in memory, one write of each changed document.
 *
 * @throws ProjectionGapError when an event needs a document that does not exist yet.
 */
export async function applyBatch<D extends VersionedDocument, E extends DomainEvent>(
  collection: Collection<D>,
  definition: ReadModelDefinition<D, E>,
  events: readonly E[],
): Promise<void> {
  const ids = [...new Set(events.map((event) => event.aggregateId))];
  const stored = (await collection.find({ _id: { $in: ids } } as Filter<D>).toArray()) as D[];
  const documents = new Map(stored.map((document) => [document._id, document]));
  const changed = new Set<string>();
  for (const event of events) {
    const current = documents.get(event.aggregateId);
    if (current !== undefined && current.version >= event.version) continue;
    documents.set(event.aggregateId, nextDocument(definition, collection.collectionName, current, event));
    changed.add(event.aggregateId);
  }
  const writes = [...changed].flatMap((id): AnyBulkWriteOperation<D>[] => {
    const replacement = documents.get(id);
    return replacement === undefined ? [] : [{ replaceOne: { filter: byId<D>(id), replacement, upsert: true } }];
  });
  if (writes.length > 0) await collection.bulkWrite(writes, { ordered: false });
}
