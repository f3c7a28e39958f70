import { MongoServerError, type Collection, type Filter, type UpdateFilter } from 'mongodb';
import { RetriableError } from '../consumer/errors.js';
import type { Transaction } from '../postgres/transaction.js';

/** A read-model document kept by a versioned projection: its id and the stream version it reflects. */
export interface VersionedDocument {
  readonly _id: string;
  /** The aggregate's stream version of the last event applied to this document. */
  readonly version: number;
}

/** The document's own fields, which events set. */
export type ProjectedFields<T extends VersionedDocument> = Omit<T, '_id' | 'version'>;

/**
 * A change to an existing document, in MongoDB's update operators; the version is stamped by the
 * projection. A `$set` field whose value is `undefined` is left as it is (the driver would store
 * `null`), so an event's optional "changed" fields can be passed as they come.
 */
export interface ProjectionUpdate<T extends VersionedDocument> {
  readonly $set?: { readonly [K in keyof ProjectedFields<T>]?: ProjectedFields<T>[K] | undefined };
  readonly $unset?: Partial<Record<keyof ProjectedFields<T> & string, ''>>;
  readonly $inc?: Partial<Record<keyof ProjectedFields<T> & string, number>>;
}

/**
 * Where a projection write belongs. FerretDB applies an update as a read followed by a separate write,
 * so two writers of one document can overwrite each other whatever the filter says; the projection
 * therefore locks the document in this PostgreSQL transaction (the consumer handler's `tx`, or one the
 * rebuild opens) until it commits, and writers of the same document take turns.
 */
export interface ProjectionWrite {
  readonly tx: Transaction;
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
  upsert(id: string, version: number, fields: ProjectedFields<T>, write: ProjectionWrite): Promise<ProjectionOutcome>;
  /**
   * Applies `update` to the document if it reflects an older version, stamping `version` in the same
   * write; leaves a document as new or newer alone.
   *
   * @throws ProjectionGapError when the document does not exist yet.
   */
  update(id: string, version: number, update: ProjectionUpdate<T>, write: ProjectionWrite): Promise<ProjectionOutcome>;
}

const DUPLICATE_KEY = 11000;

/**
 * A projection over `collection` whose every write filters on the stored stream version and sets the
 * new one in the same single-document update: `{ _id, version: { $lt: v } }`. Redelivered, replayed
 * or reordered events therefore change nothing, without multi-document transactions (which FerretDB
 * lacks). An upsert whose filter misses because the document exists at a newer version fails on the
 * `_id` index instead, and is settled by one plain update. Writers of one document are serialized by
 * a PostgreSQL advisory lock (see `ProjectionWrite`).
 */
export function versionedProjection<T extends VersionedDocument>(collection: Collection<T>): VersionedProjection<T> {
  const lockSpace = `${collection.dbName}.${collection.collectionName}`;
  const olderThan = (id: string, version: number) => ({ _id: id, version: { $lt: version } }) as unknown as Filter<T>;
  const stamped = (update: ProjectionUpdate<T>, version: number) =>
    ({ ...update, $set: { ...definedFields(update.$set), version } }) as unknown as UpdateFilter<T>;
  const lock = async (id: string, { tx }: ProjectionWrite) => {
    await tx.client.query('select pg_advisory_xact_lock(hashtext($1), hashtext($2))', [lockSpace, id]);
  };

  return {
    async upsert(id, version, fields, write) {
      await lock(id, write);
      const change = stamped({ $set: fields }, version);
      try {
        const result = await collection.updateOne(olderThan(id, version), change, { upsert: true });
        return result.matchedCount === 1 || result.upsertedCount === 1 ? 'applied' : 'stale';
      } catch (error) {
        if (!(error instanceof MongoServerError) || error.code !== DUPLICATE_KEY) throw error;
        const result = await collection.updateOne(olderThan(id, version), change);
        return result.matchedCount === 1 ? 'applied' : 'stale';
      }
    },
    async update(id, version, update, write) {
      await lock(id, write);
      const result = await collection.updateOne(olderThan(id, version), stamped(update, version));
      if (result.matchedCount === 1) return 'applied';
      const exists = await collection.countDocuments({ _id: id } as unknown as Filter<T>, { limit: 1 });
      if (exists === 0) {
        throw new ProjectionGapError(`${collection.collectionName} has no document ${id} to apply version ${version} to`);
      }
      return 'stale';
    },
  };
}

function definedFields(fields: object | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields ?? {}).filter(([, value]) => value !== undefined));
}
