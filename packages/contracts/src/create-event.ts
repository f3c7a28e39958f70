import type { z } from 'zod';
import { EventParseError } from './errors.js';
import { type EventOf, type EventType, eventDefinitions } from './events/index.js';

/**
 * What a producer supplies for a new event of type `T`: the contracts fill in `aggregateType`, the
 * current `schemaVersion` and `aggregateId` (taken from the payload's own id field).
 */
export type NewEvent<T extends EventType> = T extends EventType
  ? Omit<z.input<(typeof eventDefinitions)[T]['schema']>, 'aggregateType' | 'schemaVersion' | 'aggregateId'>
  : never;

/**
 * Builds a new event at the current schema version and validates it, so a malformed event is caught
 * where it is made instead of by every consumer.
 *
 * @throws EventParseError naming the first invalid field.
 */
export function createEvent<T extends EventType>(input: NewEvent<T>): EventOf<T> {
  const definition = eventDefinitions[input.eventType as T];
  const payload = input.payload as Readonly<Record<string, unknown>>;
  const parsed = definition.schema.safeParse({
    ...input,
    aggregateType: definition.aggregateType,
    schemaVersion: definition.schemaVersion,
    aggregateId: payload[definition.aggregateIdField],
  });
  if (!parsed.success) throw EventParseError.fromZod('INVALID_EVENT', parsed.error);
  return parsed.data as EventOf<T>;
}
