import type { EventParseError } from '@msa/contracts';

/**
 * An append found its stream at another version than expected: someone else appended since the
 * caller read it. Retriable: read the stream again, decide again, append again. The append wrote
 * nothing; inside a caller's transaction, that transaction is still usable.
 */
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';
  readonly retriable = true;

  constructor(
    readonly streamId: string,
    /** The version the caller based its decision on. */
    readonly expected: number,
    /**
     * The stream's version when the append ran. Equal to `expected` when the stream changed after the
     * caller's transaction had begun writing, which the global order cannot accept either.
     */
    readonly actual: number,
  ) {
    super(
      expected === actual
        ? `stream ${streamId} changed while the appending transaction was open; retry the transaction`
        : `stream ${streamId} is at version ${actual}, expected ${expected}`,
    );
  }

  /**
   * The same error without a stack trace. A conflict is an expected outcome, not a fault to locate:
   * writers racing on a hot stream meet thousands per second, and capturing each one's (async) stack
   * cost more than the appends themselves.
   */
  static expected(streamId: string, expected: number, actual: number): ConcurrencyError {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return new ConcurrencyError(streamId, expected, actual);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}

/** The events handed to `append` cannot form the next part of the stream; a programming error. */
export class InvalidAppendError extends Error {
  override readonly name = 'InvalidAppendError';
  readonly retriable = false;
}

/**
 * A stored event no longer parses as a known event (an unknown type, a schema version newer than
 * this build, a missing upcaster). The store's history is read-only, so this needs a code fix.
 */
export class StoredEventError extends Error {
  override readonly name = 'StoredEventError';
  readonly retriable = false;

  constructor(
    /** The event's global position. */
    readonly position: number,
    override readonly cause: EventParseError,
  ) {
    super(`stored event at position ${position} cannot be read: ${cause.message}`);
  }
}
