import { RetriableError } from '../consumer/errors.js';

/**
 * A read model's MongoDB server could not be reached or did not answer within the client's bound.
 * Retriable: the consumer tries the event again with backoff.
 */
export class ReadModelUnavailableError extends RetriableError {
  override readonly name = 'ReadModelUnavailableError';
}

/**
 * A document changed between the projection's read and its write. Writers of a document take turns
 * under a lock, so this means a writer outside that lock; retriable, since the next attempt reads the
 * document as it is now.
 */
export class ReadModelConflictError extends RetriableError {
  override readonly name = 'ReadModelConflictError';
}

/** Another rebuild of the read model holds its rebuild lock, or switched it while this one ran. */
export class RebuildInProgressError extends Error {
  override readonly name = 'RebuildInProgressError';

  constructor(readonly readModel: string, detail = 'another session holds its rebuild lock') {
    super(`a rebuild of ${readModel} is already running: ${detail}`);
  }
}
