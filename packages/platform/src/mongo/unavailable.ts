import { MongoNetworkError, MongoServerSelectionError } from 'mongodb';

// The driver keeps its pool checkout timeout out of its exports; its name is its public face.
const WAIT_QUEUE_TIMEOUT = 'MongoWaitQueueTimeoutError';

/**
 * Whether a driver error says the server could not be reached or did not answer in time (as opposed
 * to refusing the operation): a network failure or timeout, no server selectable, or no pooled
 * connection freed in time. Such a call may succeed when tried again.
 */
export function isMongoUnavailable(error: unknown): error is Error {
  return (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    (error instanceof Error && error.name === WAIT_QUEUE_TIMEOUT)
  );
}
