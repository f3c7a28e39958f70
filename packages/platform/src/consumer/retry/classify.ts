import { EventParseError } from '@msa/contracts';
import { MongoError, MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import pg from 'pg';
import { ConsumerError } from '../errors.js';

/** How the runner treats a failure, and how it is reported in logs and dead-letter headers. */
export interface ErrorClassification {
  /** Whether another attempt may succeed. */
  readonly retriable: boolean;
  /** The error's class name (`RetriableError`, `DatabaseError`, ...). */
  readonly errorClass: string;
  readonly message: string;
}

// SQLSTATE classes and codes that describe the moment, not the data: lost or refused connections (08),
// serialization failures and deadlocks (40), exhausted resources (53), a server shutting down or
// starting (57P01-57P03), a lock not granted in time (55P03) and I/O trouble (58).
const RETRIABLE_SQLSTATE_CLASSES = new Set(['08', '40', '53', '58']);
const RETRIABLE_SQLSTATES = new Set(['55P03', '57P01', '57P02', '57P03']);

// Server error codes the MongoDB driver itself retries (network trouble, elections, shutdowns), plus
// write conflicts and operations that ran out of time.
const RETRIABLE_MONGO_CODES = new Set([6, 7, 50, 89, 91, 112, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);
const RETRIABLE_MONGO_LABELS = ['RetryableWriteError', 'TransientTransactionError', 'ResetPool'];

// Socket and DNS failures Node reports on `error.code`.
const RETRIABLE_SYSTEM_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

// Mistakes in code: running it again runs the same mistake.
const PROGRAMMING_ERRORS = ['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError'];

/**
 * Decides whether a failure is worth another attempt. In order: the handler's own verdict
 * (`RetriableError`, `NonRetriableError`, or any error with a boolean `retriable` such as kafkajs's);
 * an event that does not parse (never); PostgreSQL by SQLSTATE; MongoDB by driver class, label and
 * code; a socket or DNS failure anywhere in the `cause` chain (always); a programming error (never).
 * Anything else is retried: bounded retries cost seconds, while a transient failure nobody foresaw
 * would otherwise park its key until someone replays it.
 */
export function classifyError(error: unknown): ErrorClassification {
  const describe = (retriable: boolean): ErrorClassification => ({
    retriable,
    errorClass: errorClassOf(error),
    message: messageOf(error),
  });
  if (error instanceof ConsumerError) return describe(error.retriable);
  if (error instanceof EventParseError) return describe(false);
  const flag = ownRetriableFlag(error);
  if (flag !== undefined) return describe(flag);
  if (error instanceof pg.DatabaseError) return describe(isRetriableSqlState(error.code));
  if (error instanceof MongoError) return describe(isRetriableMongoError(error));
  if (hasNetworkCause(error)) return describe(true);
  if (error instanceof Error && PROGRAMMING_ERRORS.includes(error.name)) return describe(false);
  return describe(true);
}

function errorClassOf(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  // pg names its errors `error`; the constructor says what they are.
  const constructorName = error.constructor.name;
  return constructorName !== '' && constructorName !== 'Error' ? constructorName : error.name;
}

function messageOf(error: unknown): string {
  if (error instanceof pg.DatabaseError && error.code !== undefined) return `[${error.code}] ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

function ownRetriableFlag(error: unknown): boolean | undefined {
  if (typeof error !== 'object' || error === null || !('retriable' in error)) return undefined;
  return typeof error.retriable === 'boolean' ? error.retriable : undefined;
}

function isRetriableSqlState(code: string | undefined): boolean {
  if (code === undefined) return true;
  return RETRIABLE_SQLSTATE_CLASSES.has(code.slice(0, 2)) || RETRIABLE_SQLSTATES.has(code);
}

function isRetriableMongoError(error: MongoError): boolean {
  if (error instanceof MongoNetworkError || error instanceof MongoServerSelectionError) return true;
  if (RETRIABLE_MONGO_LABELS.some((label) => error.hasErrorLabel(label))) return true;
  return typeof error.code === 'number' && RETRIABLE_MONGO_CODES.has(error.code);
}

/** A socket or DNS failure on the error, its `cause` chain, or any error it aggregates. */
function hasNetworkCause(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 8) return false;
  if ('code' in error && typeof error.code === 'string' && RETRIABLE_SYSTEM_CODES.has(error.code)) return true;
  if (error instanceof AggregateError && error.errors.some((inner) => hasNetworkCause(inner, depth + 1))) return true;
  return 'cause' in error && hasNetworkCause(error.cause, depth + 1);
}
