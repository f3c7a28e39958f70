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

/**
 * Groups a batch by destination topic for one `sendBatch`. Rows keep their relative order within
 * each topic, and so within each key's partition: the order Kafka stores them in.
 */
export function toTopicMessages(rows: readonly OutboxRow[], resolveTopic: TopicResolver): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const row of rows) {
    const topic = resolveTopic(row.topic);
    const messages = byTopic.get(topic);
    if (messages === undefined) byTopic.set(topic, [toMessage(row)]);
    else messages.push(toMessage(row));
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
