import { randomUUID } from 'node:crypto';
import type { EventRow } from '../../src/event-store/rows.js';
import { recordBytes, toOutbound, toTopicMessages, type OutboxRow } from '../../src/outbox/messages.js';
import { OUTBOX_HEADERS } from '../../src/index.js';

function row(aggregateId: string, version: number, topic: string, traceHeaders: EventRow['trace_headers'] = {}): OutboxRow {
  return {
    transaction_id: '1000',
    position: String(version),
    stream_id: `user-${aggregateId}`,
    version,
    event_id: randomUUID(),
    event_type: version === 1 ? 'UserCreated' : 'UserUpdated',
    aggregate_type: 'User',
    aggregate_id: aggregateId,
    schema_version: 1,
    correlation_id: 'corr',
    causation_id: 'cause',
    occurred_at: new Date('2025-03-01T09:30:00.000Z'),
    recorded_at: new Date('2025-03-01T09:30:00.001Z'),
    payload: { userId: aggregateId, name: 'Kim' },
    trace_headers: traceHeaders,
    topic,
  };
}

describe('outbox messages', () => {
  const [a, b] = [randomUUID(), randomUUID()];

  it('given rows of two topics, when grouped, then each topic keeps its rows in order, keyed by aggregate id', () => {
    const rows = [row(a, 1, 'created'), row(a, 2, 'updated'), row(b, 1, 'created'), row(a, 3, 'updated')];

    const batches = toTopicMessages(rows.map((stored) => toOutbound(stored, (topic) => `test.${topic}`)));

    expect(batches.map((t) => [t.topic, t.messages.map((m) => `${String(m.key)}@${String(m.headers?.[OUTBOX_HEADERS.version])}`)])).toEqual([
      ['test.created', [`${a}@1`, `${b}@1`]],
      ['test.updated', [`${a}@2`, `${a}@3`]],
    ]);
  });

  it('given a row, when made a message, then the value is the stored envelope and the headers carry its ids and trace context', () => {
    const stored = row(a, 2, 'updated', { traceparent: '00-abc-def-01', tracestate: 'k=v', bogus: 42 });

    const [batch] = toTopicMessages([toOutbound(stored, (topic) => topic)]);
    const message = batch?.messages[0];

    expect(JSON.parse(String(message?.value))).toEqual({
      eventId: stored.event_id,
      eventType: 'UserUpdated',
      aggregateId: a,
      aggregateType: 'User',
      version: 2,
      occurredAt: '2025-03-01T09:30:00.000Z',
      schemaVersion: 1,
      correlationId: 'corr',
      causationId: 'cause',
      payload: { userId: a, name: 'Kim' },
    });
    expect(message?.headers).toEqual({
      traceparent: '00-abc-def-01',
      tracestate: 'k=v',
      'event-id': stored.event_id,
      'event-type': 'UserUpdated',
      'event-version': '2',
      'schema-version': '1',
      'aggregate-type': 'User',
      'correlation-id': 'corr',
      'causation-id': 'cause',
    });
  });

  it('given a message, when weighed, then it counts its key, value and headers in bytes with their framing', () => {
    const message = { key: 'ключ', value: 'é'.repeat(100), headers: { 'event-id': 'abc', traceparent: ['x', 'yz'] } };

    // UTF-8: a key of 8 bytes and a value of 200; three header values of 11, 12 and 13 bytes with
    // their names; 36 bytes of record framing and 10 per header.
    expect(recordBytes(message)).toBe(8 + 200 + 11 + 12 + 13 + 36 + 3 * 10);
    expect(recordBytes({ value: null })).toBe(36);
  });
});
