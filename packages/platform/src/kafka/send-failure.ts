/**
 * A failed send as kafkajs reports it, read once for every sender. Senders decide differently on it
 * (see `classifySendFailure` and `classifyProducerSendFailure`), but from the same facts.
 */
export interface SendFailureCause {
  /** The Kafka error type at the root of it (`MESSAGE_TOO_LARGE`), when Kafka answered. */
  readonly type: string | undefined;
  /**
   * What that type blames:
   * - `record`: Kafka refused the record itself (too large, invalid); sent again as it is, it fails
   *   again.
   * - `producer`: the idempotent producer's own state (its sequence numbers or id) is broken; every
   *   send through that producer fails the same way until it is replaced.
   * - `none`: neither, or Kafka did not answer.
   */
  readonly fault: 'record' | 'producer' | 'none';
  /**
   * kafkajs's `retriable` flag on the innermost error that has one: the wrapper for exhausted retries
   * is marked not retriable, but what it wraps was. True when none has one, such as a caller's own
   * timeout.
   */
  readonly retriable: boolean;
  readonly reason: string;
}

// Kafka error types, as kafkajs names them, of a record the broker will never take as it is.
// CORRUPT_MESSAGE is not one: it usually means bytes damaged on the way, and kafkajs retries it.
const RECORD_ERRORS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD']);

// Kafka error types that come from the idempotent producer's state, not from what it sent.
const PRODUCER_STATE_ERRORS = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'DUPLICATE_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
]);

// kafkajs wraps what failed (retries exhausted, a non-retriable bail) in errors whose `cause` is it.
const MAX_CAUSE_DEPTH = 10;

interface Link {
  readonly type?: unknown;
  readonly retriable?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
}

/**
 * Reads what `send` or `sendBatch` rejected with: the Kafka error type of the outermost error that
 * carries one, and the `retriable` flag of the innermost. The reason is that type and its message,
 * or the innermost error's message where Kafka did not answer.
 */
export function causeOfSendFailure(error: unknown): SendFailureCause {
  const chain = causeChain(error);
  const typed = chain.find((link) => typeof link.type === 'string');
  const type = typeof typed?.type === 'string' ? typed.type : undefined;
  const reason = [type, messageOf(typed ?? chain.at(-1) ?? error)].filter((part) => part !== undefined && part !== '').join(': ');
  const flagged = chain.findLast((link) => typeof link.retriable === 'boolean');
  return { type, fault: faultOf(type), retriable: flagged?.retriable !== false, reason };
}

/**
 * What a failed send says about sending the same record again, which is what the consumer's
 * dead-letter writer decides on:
 * - `record`: Kafka refused the record itself; the sender must change it or give it up.
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

/** Sorts a failed send by whether sending the same record again can succeed (see `SendFailure`). */
export function classifySendFailure(error: unknown): SendFailure {
  const { type, fault, retriable, reason } = causeOfSendFailure(error);
  const kind = fault === 'record' ? 'record' : retriable ? 'transient' : 'refused';
  return { kind, type, reason };
}

/**
 * What a failed send through an idempotent producer says about how to go on, which is what the
 * outbox relay decides on:
 * - `producer`: the producer's own state is broken; a new producer may send the same records.
 * - `record`: Kafka refused the records themselves; sending them again as they are can never succeed.
 * - `other`: anything else (the cluster is unreachable, a topic is missing or not writable): neither
 *   the producer's fault nor the records'.
 */
export interface ProducerSendFailure {
  readonly kind: 'producer' | 'record' | 'other';
  readonly reason: string;
}

/** Sorts a failed send by what is at fault: the producer, the records, or neither (see `ProducerSendFailure`). */
export function classifyProducerSendFailure(error: unknown): ProducerSendFailure {
  const { fault, reason } = causeOfSendFailure(error);
  return { kind: fault === 'none' ? 'other' : fault, reason };
}

function faultOf(type: string | undefined): SendFailureCause['fault'] {
  if (type === undefined) return 'none';
  if (RECORD_ERRORS.has(type)) return 'record';
  return PRODUCER_STATE_ERRORS.has(type) ? 'producer' : 'none';
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
