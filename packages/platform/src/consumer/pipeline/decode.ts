import { type DomainEvent, parseEvent } from '@msa/contracts';
import { OUTBOX_HEADERS } from '../../outbox/messages.js';
import { headerText } from '../dead-letter/headers.js';
import { NonRetriableError } from '../errors.js';
import type { SourceRecord } from '../handlers.js';
import { classifyError, type ErrorClassification } from '../retry/classify.js';

/** A message that is not an event as the outbox publishes one; the same bytes fail the same way every time. */
export class InvalidMessageError extends NonRetriableError {
  override readonly name = 'InvalidMessageError';
}

/** The outcome of `decodeMessage`: the event, or why the message is not one. */
export type Decoded =
  | { readonly success: true; readonly event: DomainEvent }
  | { readonly success: false; readonly error: ErrorClassification };

// The envelope field each outbox header copies. The body is the event; a header that says otherwise
// was not written by the outbox, and routing or tracing by it would mislead. A missing header is no
// contradiction: producers other than the outbox (tools, specs) publish the body alone.
const HEADER_FIELDS = [
  [OUTBOX_HEADERS.eventId, 'eventId'],
  [OUTBOX_HEADERS.eventType, 'eventType'],
  [OUTBOX_HEADERS.version, 'version'],
  [OUTBOX_HEADERS.schemaVersion, 'schemaVersion'],
  [OUTBOX_HEADERS.aggregateType, 'aggregateType'],
  [OUTBOX_HEADERS.correlationId, 'correlationId'],
  [OUTBOX_HEADERS.causationId, 'causationId'],
] as const;

/**
 * Reads a consumed message as an event, checking in order what costs least: a value at all, its size
 * against `maxMessageBytes` (before any parsing), a key (the outbox keys every event by its aggregate,
 * which is what orders it on its partition and lets a failure park it), JSON, the outbox headers
 * against the body, the event's schema, and the key against the event's aggregate id.
 */
export function decodeMessage(source: SourceRecord, value: Buffer | null, maxMessageBytes: number): Decoded {
  if (value === null) return invalid('message has no value');
  if (value.length > maxMessageBytes) {
    return invalid(`value is ${value.length} bytes, over the consumer's limit of ${maxMessageBytes}`);
  }
  if (source.key === null) return invalid('message has no key; an event is keyed by its aggregate id');
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return { success: false, error: classifyError(error) };
  }
  const contradiction = headerContradiction(source, json);
  if (contradiction !== undefined) return invalid(contradiction);
  const parsed = parseEvent(json);
  if (!parsed.success) return { success: false, error: classifyError(parsed.error) };
  if (parsed.data.aggregateId !== source.key) {
    return invalid(`key "${source.key}" is not the event's aggregate id "${parsed.data.aggregateId}"`);
  }
  return { success: true, event: parsed.data };
}

function headerContradiction(source: SourceRecord, json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const body = json as Readonly<Record<string, unknown>>;
  for (const [header, field] of HEADER_FIELDS) {
    const text = headerText(source.headers, header);
    if (text === undefined) continue;
    const stated = body[field];
    if (typeof stated !== 'string' && typeof stated !== 'number') return `header ${header} "${text}" but the event has no ${field}`;
    if (String(stated) !== text) return `header ${header} "${text}" contradicts the event's ${field} "${String(stated)}"`;
  }
  return undefined;
}

function invalid(message: string): Decoded {
  return { success: false, error: classifyError(new InvalidMessageError(message)) };
}
