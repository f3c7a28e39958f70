import { z } from 'zod';

/**
 * Fields every event carries whatever its type. `schemaVersion` versions the payload only; the
 * envelope itself has one shape for all versions, so upcasters never touch it.
 */
const envelopeShape = {
  eventId: z.uuid(),
  aggregateId: z.string().min(1).max(200),
  /** The aggregate's stream version after this event: 1 for the first event of a stream. */
  version: z.int().min(1),
  /** When the event happened, in UTC ISO-8601. */
  occurredAt: z.iso.datetime(),
  /** The request or flow this event belongs to, carried unchanged along the whole flow. */
  correlationId: z.string().min(1).max(200),
  /** The id of the command, request or event that directly caused this one. */
  causationId: z.string().min(1).max(200),
};

interface AggregateIdentified {
  readonly aggregateId: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** What describes one event type: its name, aggregate, current payload version and schema. */
export interface EventDefinitionInput<
  T extends string,
  A extends string,
  V extends number,
  P extends z.ZodType<Record<string, unknown>>,
> {
  readonly eventType: T;
  readonly aggregateType: A;
  /** The payload version written today; older stored versions are upcast to it. */
  readonly schemaVersion: V;
  readonly payload: P;
  /** The payload field holding the aggregate's own id; the envelope's `aggregateId` must equal it. */
  readonly aggregateIdField: keyof z.output<P> & string;
}

/**
 * Builds the full schema of one event type: the envelope, its literal `eventType`, `aggregateType`
 * and `schemaVersion`, and the payload, checked so that `aggregateId` names the same aggregate as
 * the payload does.
 */
export function defineEvent<
  const T extends string,
  const A extends string,
  const V extends number,
  P extends z.ZodType<Record<string, unknown>>,
>(definition: EventDefinitionInput<T, A, V, P>) {
  const { eventType, aggregateType, schemaVersion, payload, aggregateIdField } = definition;
  const schema = z
    .object({
      ...envelopeShape,
      eventType: z.literal(eventType),
      aggregateType: z.literal(aggregateType),
      schemaVersion: z.literal(schemaVersion),
      payload,
    })
    .superRefine((event, ctx) => {
      // TypeScript cannot resolve the output of an object with a generic payload schema, but the
      // shape above guarantees these two fields.
      const { aggregateId, payload: fields } = event as unknown as AggregateIdentified;
      if (fields[aggregateIdField] !== aggregateId) {
        ctx.addIssue({
          code: 'custom',
          path: ['aggregateId'],
          message: `must equal payload.${aggregateIdField}`,
        });
      }
    });
  return { eventType, aggregateType, schemaVersion, payload, aggregateIdField, schema } as const;
}
