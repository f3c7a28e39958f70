import { parseEvent, type DomainEvent } from '@msa/contracts';
import { StoredEventError } from './errors.js';

/** The columns every read selects, in the shape of {@link EventRow}. */
export const EVENT_COLUMNS = `position, stream_id, version, event_id, event_type, aggregate_type, aggregate_id,
  schema_version, correlation_id, causation_id, occurred_at, recorded_at, payload, trace_headers, topic`;

/** One `events` row as pg returns it (int8 arrives as a string, timestamptz as a Date). */
export interface EventRow {
  readonly position: string;
  readonly stream_id: string;
  readonly version: number;
  readonly event_id: string;
  readonly event_type: string;
  readonly aggregate_type: string;
  readonly aggregate_id: string;
  readonly schema_version: number;
  readonly correlation_id: string;
  readonly causation_id: string;
  readonly occurred_at: Date;
  readonly recorded_at: Date;
  readonly payload: unknown;
  readonly trace_headers: Readonly<Record<string, unknown>>;
  readonly topic: string;
}

/** An event read back from the store, with where and when the store recorded it. */
export interface RecordedEvent {
  /** Position in the global log: unique, and increasing within each stream. */
  readonly position: number;
  readonly streamId: string;
  /** When the append ran (store time, not event time). */
  readonly recordedAt: Date;
  /** The event in its current schema version. */
  readonly event: DomainEvent;
}

/**
 * The event exactly as it was stored, in the envelope shape: its stored `schemaVersion` and payload,
 * before any upcasting. This is what travels on Kafka; readers upcast on their side.
 */
export function storedEnvelope(row: EventRow): Record<string, unknown> {
  return {
    eventId: row.event_id,
    eventType: row.event_type,
    aggregateId: row.aggregate_id,
    aggregateType: row.aggregate_type,
    version: row.version,
    occurredAt: row.occurred_at.toISOString(),
    schemaVersion: row.schema_version,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    payload: row.payload,
  };
}

/**
 * Reads a stored row as a current-version event, upcasting older payloads.
 *
 * @throws StoredEventError when the row does not parse.
 */
export function toRecordedEvent(row: EventRow): RecordedEvent {
  const position = Number(row.position);
  const parsed = parseEvent(storedEnvelope(row));
  if (!parsed.success) throw new StoredEventError(position, parsed.error);
  return { position, streamId: row.stream_id, recordedAt: row.recorded_at, event: parsed.data };
}
