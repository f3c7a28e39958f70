import { MongoNetworkError, MongoNetworkTimeoutError, MongoOperationTimeoutError, MongoServerSelectionError } from 'mongodb';
import kafkajs from 'kafkajs';
import pg from 'pg';

// kafkajs spreads its errors into its exports, which Node's ESM loader cannot see as named exports.
const { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSRequestTimeoutError } = kafkajs;

/** A dependency the platform's clients talk to, named as the readiness checks name them. */
export type Dependency = 'postgres' | 'kafka' | 'mongo' | 'redis';

/** Which dependency an error says is out of reach, and why in a few words safe to show anyone. */
export interface Unavailable {
  readonly dependency: Dependency;
  readonly reason: string;
}

// SQLSTATEs that mean the server cannot serve right now, whatever the statement.
const SQLSTATE_REASONS: Readonly<Record<string, string>> = {
  '57P01': 'server shutting down',
  '57P02': 'server crashed',
  '57P03': 'server starting up',
  '53300': 'too many connections',
};

// pg reports a lost or timed-out connection with a plain Error and no code: its exact messages are all
// there is to go on (pg/lib/client.js and pg-pool/index.js).
const PG_MESSAGE_REASONS: Readonly<Record<string, string>> = {
  'Connection terminated': 'connection lost',
  'Connection terminated unexpectedly': 'connection lost',
  'Connection terminated due to connection timeout': 'connect timed out',
  'timeout exceeded when trying to connect': 'no connection free in time',
  'Client has encountered a connection error and is not queryable': 'connection lost',
};

// ioredis's command rejections while it has no connection or the server answers nothing within
// `commandTimeout`, again without class or code.
const REDIS_MESSAGE_REASONS: Readonly<Record<string, string>> = {
  'Connection is closed.': 'no connection',
  "Stream isn't writeable and enableOfflineQueue options is false": 'no connection',
  'Command timed out': 'timed out',
};

// Socket and DNS failures Node reports on `error.code`.
const SOCKET_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ECONNABORTED: 'connection reset',
  EPIPE: 'connection reset',
  ETIMEDOUT: 'connect timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'host unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
};

/**
 * Recognises an error that means a dependency is unavailable rather than that the request or the
 * code is wrong: by class and code where the library gives one (pg's SQLSTATE, kafkajs's and mongodb's
 * classes, the name of a class ioredis or mongodb does not export), by the library's exact message where it gives nothing else. A bare socket
 * error is PostgreSQL's: of the platform's clients only pg passes those on unwrapped (the others wrap
 * them in the classes above). Anything else, a `TypeError` included, is `undefined`.
 */
export function unavailableDependency(error: unknown): Unavailable | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  if (error instanceof pg.DatabaseError) return postgresState(error.code);
  if (error instanceof KafkaJSNumberOfRetriesExceeded) return kafkaCause(error.cause);
  const kafka = kafkaCause(error);
  if (kafka !== undefined) return kafka;
  if (error instanceof MongoServerSelectionError) return { dependency: 'mongo', reason: 'no server reachable' };
  if (error instanceof MongoNetworkTimeoutError) return { dependency: 'mongo', reason: 'timed out' };
  // The driver's per-operation deadline ran out (GridFS's, `timeoutMS` where the driver honours it).
  if (error instanceof MongoOperationTimeoutError) return { dependency: 'mongo', reason: 'timed out' };
  if (error instanceof MongoNetworkError) return { dependency: 'mongo', reason: 'connection failed' };
  // What follows is read by shape, not `instanceof`: socket errors come from Node's own realm, which
  // is not the realm of this module under a test runner's VM context.
  const { name, message } = error as ErrorShape;
  // ioredis does not export this class, only reports it as the error's name.
  if (name === 'MaxRetriesPerRequestError') return { dependency: 'redis', reason: 'no connection' };
  // Nor does the MongoDB driver export its pool checkout timeout.
  if (name === 'MongoWaitQueueTimeoutError') return { dependency: 'mongo', reason: 'no connection free in time' };
  // Plain errors only: a TypeError is a bug even when it carries one of these messages or codes.
  if (name !== 'Error' && name !== 'AggregateError') return undefined;
  const redisReason = typeof message === 'string' ? REDIS_MESSAGE_REASONS[message] : undefined;
  if (redisReason !== undefined) return { dependency: 'redis', reason: redisReason };
  const pgReason = typeof message === 'string' ? PG_MESSAGE_REASONS[message] : undefined;
  if (pgReason !== undefined) return { dependency: 'postgres', reason: pgReason };
  const socketReason = socketReasonOf(error);
  return socketReason === undefined ? undefined : { dependency: 'postgres', reason: socketReason };
}

/** The fields of an error this module reads, any of which may be missing. */
interface ErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly errors?: unknown;
}

function postgresState(code: string | undefined): Unavailable | undefined {
  if (code === undefined) return undefined;
  if (code.startsWith('08')) return { dependency: 'postgres', reason: 'connection failed' };
  const reason = SQLSTATE_REASONS[code];
  return reason === undefined ? undefined : { dependency: 'postgres', reason };
}

function kafkaCause(error: unknown): Unavailable | undefined {
  if (error instanceof KafkaJSRequestTimeoutError) return { dependency: 'kafka', reason: 'request timed out' };
  if (error instanceof KafkaJSConnectionError) return { dependency: 'kafka', reason: 'connection failed' };
  return undefined;
}

// Node's happy-eyeballs connect reports every address it tried in an AggregateError, whose own code
// may be missing: the codes of its errors count too.
function socketReasonOf(error: object): string | undefined {
  const { code, errors } = error as ErrorShape;
  const inner = Array.isArray(errors) ? (errors as unknown[]) : [];
  const codes = [code, ...inner.map((one) => (typeof one === 'object' && one !== null ? (one as ErrorShape).code : undefined))];
  for (const candidate of codes) {
    const reason = typeof candidate === 'string' ? SOCKET_REASONS[candidate] : undefined;
    if (reason !== undefined) return reason;
  }
  return undefined;
}
