import { z } from 'zod';
import { EventParseError } from './errors.js';
import { type DomainEvent, type EventType, eventDefinitions, eventTypes, upcastPayload } from './events/index.js';

/** The outcome of {@link parseEvent}: a typed event, or an error naming the failing field. */
export type ParseEventResult =
  | { readonly success: true; readonly data: DomainEvent }
  | { readonly success: false; readonly error: EventParseError };

// Just enough to pick the schema and the upcasters; every other field is checked by the event's own
// schema once the payload is in its current shape.
const header = z.looseObject({
  eventType: z.string(),
  schemaVersion: z.int().min(1),
  payload: z.unknown(),
});

const knownTypes: ReadonlySet<string> = new Set(eventTypes);

function isEventType(name: string): name is EventType {
  return knownTypes.has(name);
}

/**
 * Reads an event from untrusted input (a Kafka message, a stored row): checks the envelope, upcasts
 * the payload from its stored `schemaVersion` to the current one, then validates the whole event.
 * Never throws for bad input; the error's `path` names the first failing field, such as
 * `payload.items.0.quantity`.
 */
export function parseEvent(input: unknown): ParseEventResult {
  const head = header.safeParse(input);
  if (!head.success) return { success: false, error: EventParseError.fromZod('INVALID_EVENT', head.error) };
  const { eventType, schemaVersion, payload } = head.data;
  if (!isEventType(eventType)) {
    const message = `unknown event type "${eventType}"; expected one of ${eventTypes.join(', ')}`;
    return { success: false, error: new EventParseError('UNKNOWN_EVENT_TYPE', [{ path: 'eventType', message }]) };
  }
  const upcast = upcastPayload(eventType, schemaVersion, payload);
  if (!upcast.success) return upcast;
  const definition = eventDefinitions[eventType];
  const parsed = definition.schema.safeParse({
    ...head.data,
    schemaVersion: definition.schemaVersion,
    payload: upcast.payload,
  });
  return parsed.success
    ? { success: true, data: parsed.data }
    : { success: false, error: EventParseError.fromZod('INVALID_EVENT', parsed.error) };
}
