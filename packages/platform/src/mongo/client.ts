import { MongoClient } from 'mongodb';

/** The default bound on a MongoDB call, in ms. */
export const DEFAULT_MONGO_TIMEOUT_MS = 5_000;

/** Options for `createMongoClient`. */
export interface MongoClientOptions {
  /** Shown in the server's logs and `currentOp`, so a connection can be traced to its program. */
  readonly appName: string;
  /**
   * How long a call may wait at each step before it fails: finding the server, opening a connection,
   * getting one from the pool, and each reply. @default DEFAULT_MONGO_TIMEOUT_MS
   */
  readonly timeoutMs?: number;
}

/**
 * A MongoDB client on which no call waits longer than `timeoutMs` for the server: a stalled server
 * fails each call with a driver error (`MongoNetworkTimeoutError`, `MongoServerSelectionError`, or a
 * pool checkout timeout) within about that bound, instead of holding the caller forever.
 *
 * The driver's own per-call deadline (`timeoutMS`) is ignored by the driver this platform uses, so the
 * bound is made of the four step timeouts. Its retries are off: each would start the same wait again
 * (a stall then takes twice the bound), and every caller here retries on its own terms (the consumer
 * with backoff, HTTP clients after a 503).
 *
 * @throws RangeError for a timeout that is not a positive whole number of ms.
 */
export function createMongoClient(url: string, { appName, timeoutMs = DEFAULT_MONGO_TIMEOUT_MS }: MongoClientOptions): MongoClient {
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError(`timeoutMs must be a positive whole number of ms, got ${timeoutMs}`);
  }
  return new MongoClient(url, {
    appName,
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    socketTimeoutMS: timeoutMs,
    waitQueueTimeoutMS: timeoutMs,
    retryReads: false,
    retryWrites: false,
  });
}
