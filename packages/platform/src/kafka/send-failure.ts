/**
 * What a failed send says about sending again:
 * - `record`: Kafka refused the record itself (too large, invalid); sent again as it is, it fails
 *   again, so the sender must change it or give it up.
 * - `refused`: Kafka refused the request for a reason that will not pass by itself (no such topic
 *   any more, not authorised, an unsupported setting): someone has to act.
 * - `transient`: anything that may pass (a broker restarting, too few replicas in sync, a lost
 *   connection, retries exhausted on any of these).
 */
export interface SendFailure {
  readonly kind: 'record' | 'refused' | 'transient';
  /** The Kafka error type at the root of it (`MESSAGE_TOO_LARGE`), when Kafka answered. */
  readonly type: string | undefined;
  readonly reason: string;
}

// Kafka error types, as kafkajs names them, of a record the broker will never take as it is.
// CORRUPT_MESSAGE is not one: it usually means bytes damaged on the way, and kafkajs retries it.
const RECORD_ERRORS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD']);

// kafkajs wraps what failed (retries exhausted, a non-retriable bail) in errors whose `cause` is it.
const MAX_CAUSE_DEPTH = 10;

interface Link {
  readonly type?: unknown;
  readonly retriable?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
}

/**
 * Classifies what `send` rejected with: by the Kafka error type where Kafka answered, otherwise by the
 * `retriable` flag of the innermost kafkajs error (the wrapper for exhausted retries is marked not
 * retriable, but what it wraps was). Errors without either flag, such as a caller's own timeout,
 * count as transient.
 */
export function classifySendFailure(error: unknown): SendFailure {
  const chain = causeChain(error);
  const typed = chain.find((link) => typeof link.type === 'string');
  const type = typeof typed?.type === 'string' ? typed.type : undefined;
  const reason = [type, messageOf(typed ?? chain.at(-1) ?? error)].filter((part) => part !== undefined && part !== '').join(': ');
  if (type !== undefined && RECORD_ERRORS.has(type)) return { kind: 'record', type, reason };
  const flagged = chain.findLast((link) => typeof link.retriable === 'boolean');
  return { kind: flagged?.retriable === false ? 'refused' : 'transient', type, reason };
}

function causeChain(error: unknown): Link[] {
  const chain: Link[] = [];
  let current: unknown = error;
  while (chain.length < MAX_CAUSE_DEPTH && typeof current === 'object' && current !== null && !chain.includes(current)) {
    const link: Link = current;
    chain.push(link);
    current = link.cause;
  }
  return chain;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  const link = typeof error === 'object' && error !== null ? (error as Link) : undefined;
  return typeof link?.message === 'string' ? link.message : String(error);
}
