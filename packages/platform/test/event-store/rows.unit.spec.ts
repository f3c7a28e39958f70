import { randomUUID } from 'node:crypto';
import { storedEnvelope, toRecordedEvent, type EventRow } from '../../src/event-store/rows.js';
import { StoredEventError } from '../../src/index.js';

function row(overrides: Partial<EventRow>): EventRow {
  const userId = randomUUID();
  return {
    position: '42',
    stream_id: `user-${userId}`,
    version: 1,
    event_id: randomUUID(),
    event_type: 'UserCreated',
    aggregate_type: 'User',
    aggregate_id: userId,
    schema_version: 2,
    correlation_id: 'req-1',
    causation_id: 'req-1',
    occurred_at: new Date('2025-03-01T09:30:00.000Z'),
    recorded_at: new Date('2025-03-01T09:30:00.010Z'),
    payload: { userId, email: 'kim@example.com', name: 'Kim', role: 'admin' },
    trace_headers: {},
    topic: 'user.profile.created',
    ...overrides,
  };
}

describe('stored rows', () => {
  it('given a current row, when read, then the event, its position and its store time come back', () => {
    const stored = row({});

    const recorded = toRecordedEvent(stored);

    expect(recorded).toEqual({
      position: 42,
      streamId: stored.stream_id,
      recordedAt: stored.recorded_at,
      event: { ...storedEnvelope(stored), payload: stored.payload },
    });
  });

  it('given a version 1 row, when read, then it is upcast while the stored envelope keeps version 1', () => {
    const userId = randomUUID();
    const stored = row({
      aggregate_id: userId,
      schema_version: 1,
      payload: { userId, email: 'kim@example.com', name: 'Kim', createdAt: '2020-01-01' },
    });

    const recorded = toRecordedEvent(stored);

    expect(recorded.event).toMatchObject({ schemaVersion: 2, payload: { userId, role: 'customer' } });
    expect(storedEnvelope(stored)).toMatchObject({ schemaVersion: 1, payload: { createdAt: '2020-01-01' } });
  });

  it('given a row of an unknown type, when read, then StoredEventError names its position', () => {
    const read = () => toRecordedEvent(row({ event_type: 'UserTeleported', position: '7' }));

    expect(read).toThrow(StoredEventError);
    expect(read).toThrow(/position 7.*UNKNOWN_EVENT_TYPE/);
  });
});
