import type { DomainEvent } from '@msa/contracts';
import { MongoServerError, type AnyBulkWriteOperation, type Collection, type Filter, type OptionalUnlessRequiredId } from 'mongodb';
import { ReadModelConflictError } from './errors.js';
import type { ReadModelDefinition } from './read-model.js';
import { ProjectionGapError, type ProjectionOutcome, type VersionedDocument } from './versioned-document.js';

const DUPLICATE_KEY = 11000;

/** The document `event` makes of `current`, stamped with its id and stream version. */
function nextDocument<D extends VersionedDocument, E extends DomainEvent>(
  definition: ReadModelDefinition<D, E>,
  collection: string,
  current: D | undefined,
  event: E,
): D {
  const next = definition.evolve(current, event);
  if (next === undefined) {
    throw new ProjectionGapError(
      `${collection} has no document ${event.aggregateId} to apply ${event.eventType} version ${event.version} to`,
    );
  }
  // evolve returns every field but the two the platform owns, so adding them makes a whole D.
  return { ...next, _id: event.aggregateId, version: event.version } as unknown as D;
}

const byId = <D extends VersionedDocument>(id: string) => ({ _id: id }) as Filter<D>;

/**
 * Applies one event to its document as a live projection does: reads the stored document, skips the
 * event if the document is as new or newer, and otherwise writes the whole next document, guarded by
 * the version it was computed from. The caller serializes writers of a document (FerretDB applies an
 * update as a read and a separate write), so the guard only catches a writer that skipped the lock.
 *
 * @throws ProjectionGapError when the event needs a document that does not exist yet.
 * @throws ReadModelConflictError when the document changed between the read and the write.
 */
export async function applyEvent<D extends VersionedDocument, E extends DomainEvent>(
  collection: Collection<D>,
  definition: ReadModelDefinition<D, E>,
  event: E,
): Promise<ProjectionOutcome> {
  const stored = (await collection.findOne(byId<D>(event.aggregateId))) as D | null;
  if (stored !== null && stored.version >= event.version) return 'stale';
  const document = nextDocument(definition, collection.collectionName, stored ?? undefined, event);
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
