import type { Message, TopicMessages } from 'kafkajs';
import { storedEnvelope, type EventRow } from '../event-store/rows.js';

/** The Kafka headers the relay puts on every event, beside the W3C trace context it was appended in. */
export const OUTBOX_HEADERS = {
  eventId: 'event-id',
  eventType: 'event-type',
  /** The aggregate's stream version after the event. */
  version: 'event-version',
  schemaVersion: 'schema-version',
  aggregateType: 'aggregate-type',
  correlationId: 'correlation-id',
  causationId: 'causation-id',
} as const;

/** An event row as the relay reads it: the stored event plus its place in the relay's order. */
export interface OutboxRow extends EventRow {
  readonly transaction_id: string;
}

/** Maps a catalog topic to the topic actually written; the identity outside tests. */
export type TopicResolver = (catalogTopic: string) => string;

function traceHeaders(row: OutboxRow): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(row.trace_headers)) {
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

/** One event as a Kafka message: keyed by its aggregate id, the stored envelope as JSON. */
export function toMessage(row: OutboxRow): Message {
  return {
    key: row.aggregate_id,
    value: JSON.stringify(storedEnvelope(row)),
    headers: {
      ...traceHeaders(row),
      [OUTBOX_HEADERS.eventId]: row.event_id,
      [OUTBOX_HEADERS.eventType]: row.event_type,
      [OUTBOX_HEADERS.version]: String(row.version),
      [OUTBOX_HEADERS.schemaVersion]: String(row.schema_version),
      [OUTBOX_HEADERS.aggregateType]: row.aggregate_type,
      [OUTBOX_HEADERS.correlationId]: row.correlation_id,
      [OUTBOX_HEADERS.causationId]: row.causation_id,
    },
  };
}

/** An event ready to send: its message, the topic it goes to, and what it weighs in a record batch. */
export interface OutboundEvent {
  readonly row: OutboxRow;
  /** The topic written, after `resolveTopic`. */
  readonly topic: string;
  readonly message: Message;
  /** `recordBytes(message)`. */
  readonly bytes: number;
}

/** `row` as the message the relay sends. */
export function toOutbound(row: OutboxRow, resolveTopic: TopicResolver): OutboundEvent {
  const message = toMessage(row);
  return { row, topic: resolveTopic(row.topic), message, bytes: recordBytes(message) };
}

/**
 * Groups events by destination topic for one `sendBatch`. Events keep their relative order within
 * each topic, and so within each key's partition: the order Kafka stores them in.
 */
export function toTopicMessages(events: readonly OutboundEvent[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const { topic, message } of events) {
    const messages = byTopic.get(topic);
    if (messages === undefined) byTopic.set(topic, [message]);
    else messages.push(message);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/** A v2 record batch's header, before its records: what `max.message.bytes` counts besides them. */
export const RECORD_BATCH_HEADER_BYTES = 61;

// A record's framing at its largest: its length, attributes, timestamp and offset deltas, key and
// value lengths and header count are varints (at most 5 bytes, 10 for the timestamp); each header
// adds two varint lengths.
const RECORD_FRAMING_BYTES = 5 + 1 + 10 + 5 + 5 + 5 + 5;
const HEADER_FRAMING_BYTES = 5 + 5;

function byteLength(value: Buffer | string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

/**
 * The most bytes `message` can take as a record in an uncompressed batch: its key, value and headers
 * with their framing. Kafka checks `max.message.bytes` against the whole batch of a partition, so a
 * send whose records and one batch header stay under it is never refused for its size.
 */
export function recordBytes(message: Message): number {
  let bytes = RECORD_FRAMING_BYTES + byteLength(message.key) + byteLength(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) {
      bytes += HEADER_FRAMING_BYTES + Buffer.byteLength(name) + byteLength(one);
    }
  }
  return bytes;
}
