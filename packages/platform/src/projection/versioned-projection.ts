import { MongoServerError, type Collection, type Filter, type UpdateFilter } from 'mongodb';
import { RetriableError } from '../consumer/errors.js';

/** A read-model document kept by a versioned projection: its id and the stream version it reflects. */
export interface VersionedDocument {
  readonly _id: string;
  /** The aggregate's stream version of the last event applied to this document. */
  readonly version: number;
}

/** The document's own fields, which events set. */
export type ProjectedFields<T extends VersionedDocument> = Omit<T, '_id' | 'version'>;

/** A change to an existing document, in MongoDB's update operators; the version is stamped by the projection. */
export interface ProjectionUpdate<T extends VersionedDocument> {
  readonly $set?: Partial<ProjectedFields<T>>;
  readonly $unset?: Partial<Record<keyof ProjectedFields<T> & string, ''>>;
  readonly $inc?: Partial<Record<keyof ProjectedFields<T> & string, number>>;
}

/** `applied` when the document moved to the event's version; `stale` when it was already there or beyond. */
export type ProjectionOutcome = 'applied' | 'stale';

/**
 * An event reached the read model before the one that creates its document (they travel on
 * different topics). Retriable: the creating event usually arrives within the consumer's retries.
 */
export class ProjectionGapError extends RetriableError {
  override readonly name = 'ProjectionGapError';
}

/** Idempotent writes to one read-model collection. */
export interface VersionedProjection<T extends VersionedDocument> {
  /**
   * Writes `fields` as of `version`: inserts the document if it is missing, updates it if it reflects
   * an older version, and leaves it alone if it is as new or newer.
   */
  upsert(id: string, version: number, fields: ProjectedFields<T>): Promise<ProjectionOutcome>;
  /**
   * Applies `update` to the document if it reflects an older version, stamping `version` in the same
   * write; leaves a document as new or newer alone.
   *
   * @throws ProjectionGapError when the document does not exist yet.
   */
  update(id: string, version: number, update: ProjectionUpdate<T>): Promise<ProjectionOutcome>;
}

const DUPLICATE_KEY = 11000;

/**
 * A projection over `collection` whose every write filters on the stored stream version and sets the
 * new one in the same single-document update: `{ _id, version: { $lt: v } }`. Redelivered, replayed
 * or reordered events therefore change nothing, without multi-document transactions (which FerretDB
 * lacks). An upsert whose filter misses because the document exists at a newer version fails on the
 * `_id` index instead; that, or two upserts racing to insert, is settled by one plain update.
 */
export function versionedProjection<T extends VersionedDocument>(collection: Collection<T>): VersionedProjection<T> {
  const olderThan = (id: string, version: number) => ({ _id: id, version: { $lt: version } }) as unknown as Filter<T>;
  const stamped = (update: ProjectionUpdate<T>, version: number) =>
    ({ ...update, $set: { ...update.$set, version } }) as unknown as UpdateFilter<T>;

  async function update(id: string, version: number, change: ProjectionUpdate<T>): Promise<ProjectionOutcome> {
    const result = await collection.updateOne(olderThan(id, version), stamped(change, version));
    if (result.matchedCount === 1) return 'applied';
    const exists = await collection.countDocuments({ _id: id } as unknown as Filter<T>, { limit: 1 });
    if (exists === 0) {
      throw new ProjectionGapError(`${collection.collectionName} has no document ${id} to apply version ${version} to`);
    }
    return 'stale';
  }

  return {
    async upsert(id, version, fields) {
      const change: ProjectionUpdate<T> = { $set: fields };
      try {
        const result = await collection.updateOne(olderThan(id, version), stamped(change, version), { upsert: true });
        return result.matchedCount === 1 || result.upsertedCount === 1 ? 'applied' : 'stale';
      } catch (error) {
        if (!(error instanceof MongoServerError) || error.code !== DUPLICATE_KEY) throw error;
        const result = await collection.updateOne(olderThan(id, version), stamped(change, version));
        return result.matchedCount === 1 ? 'applied' : 'stale';
      }
    },
    update,
  };
}
