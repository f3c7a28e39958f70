import { RetriableError } from '../consumer/errors.js';
import type { Transaction } from '../postgres/transaction.js';

/** A read-model document: its id and the stream version it reflects. */
export interface VersionedDocument {
  readonly _id: string;
  /** The aggregate's stream version of the last event applied to this document. */
  readonly version: number;
}

/** The document's own fields, which events set. */
export type ProjectedFields<T extends VersionedDocument> = Omit<T, '_id' | 'version'>;

/**
 * Where a projection write belongs. FerretDB applies an update as a read followed by a separate write,
 * so two writers of one document can overwrite each other whatever the filter says; the read model
 * therefore locks the document in this PostgreSQL transaction (the consumer handler's `tx`) until it
 * commits, and writers of the same document take turns.
 */
export interface ProjectionWrite {
  readonly tx: Transaction;
}

/** `applied` when the document moved to the event's version; `stale` when it was already there or beyond. */
export type ProjectionOutcome = 'applied' | 'stale';

/**
 * An event reached the read model before the one that creates its document (they travel on
 * different topics), and the projection has no event store holding its stream to catch up from (a
 * read model of another service's events). Retriable: the creating event may arrive meanwhile.
 */
export class ProjectionGapError extends RetriableError {
  override readonly name = 'ProjectionGapError';
}
