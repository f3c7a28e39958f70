/**
 * What a failed `sendBatch` says about how to go on:
 * - `producer`: the idempotent producer's own state is broken (its sequence numbers or id); every
 *   send through it fails the same way until it is replaced.
 * - `record`: Kafka refused the records themselves (too large, invalid): sending them again as they
 *   are can never succeed; the relay narrows the refusal down to the events at fault.
 * - `other`: anything else (the cluster is unreachable, a topic is missing or not writable): not the
 *   events' fault, so the relay retries the batch later, as it always has.
 */
export type SendFailure =
  | { readonly kind: 'producer'; readonly reason: string }
  | { readonly kind: 'record'; readonly reason: string }
  | { readonly kind: 'other'; readonly reason: string };

// Kafka error types, as kafkajs names them on its protocol errors.
const PRODUCER_STATE_ERRORS = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'DUPLICATE_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
]);
// CORRUPT_MESSAGE is not one: it usually means bytes damaged on the way, which a retry gets past.
const RECORD_ERRORS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD']);

// kafkajs wraps what failed (retries exhausted, a non-retriable bail) in errors whose `cause` is it.
const MAX_CAUSE_DEPTH = 10;

function kafkaErrorType(error: unknown): { type: string; message: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && typeof current === 'object' && current !== null; depth += 1) {
    const { type, message, cause } = current as { type?: unknown; message?: unknown; cause?: unknown };
    if (typeof type === 'string') return { type, message: typeof message === 'string' ? message : '' };
    current = cause;
  }
  return undefined;
}

/** Classifies what `sendBatch` rejected with, by the Kafka error type at the root of it. */
export function classifySendFailure(error: unknown): SendFailure {
  const found = kafkaErrorType(error);
  if (found === undefined) return { kind: 'other', reason: error instanceof Error ? error.message : String(error) };
  const reason = `${found.type}: ${found.message}`;
  if (PRODUCER_STATE_ERRORS.has(found.type)) return { kind: 'producer', reason };
  if (RECORD_ERRORS.has(found.type)) return { kind: 'record', reason };
  return { kind: 'other', reason };
}
