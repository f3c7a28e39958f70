import { randomUUID } from 'node:crypto';
import { appendRequest } from '../../src/event-store/append-request.js';
import { InvalidAppendError } from '../../src/index.js';
import { userEvent, userEvents } from './support/events.js';

describe('append request', () => {
  const trace = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

  it('given events counting on from the expected version, when serialized, then each carries its catalog topic and the trace context', () => {
    const userId = randomUUID();
    const request = JSON.parse(appendRequest(3, userEvents(userId, 2, 3), trace)) as Record<string, unknown>[];

    expect(request.map((e) => [e.eventType, e.topic, e.traceHeaders])).toEqual([
      ['UserUpdated', 'user.profile.updated', trace],
      ['UserUpdated', 'user.profile.updated', trace],
    ]);
    expect(request[0]).not.toHaveProperty('version');
  });

  it('given a new stream, when its first event is serialized, then it goes to the created topic', () => {
    const userId = randomUUID();

    const [first] = JSON.parse(appendRequest(0, [userEvent(userId, 1)], {})) as Record<string, unknown>[];

    expect(first).toMatchObject({ eventType: 'UserCreated', aggregateId: userId, topic: 'user.profile.created' });
  });

  it.each([
    ['no events', 0, []],
    ['a negative expected version', -1, [userEvent(randomUUID(), 1)]],
    ['a fractional expected version', 0.5, [userEvent(randomUUID(), 1)]],
    ['a version gap', 0, [userEvent('6f1c2b7e-1d2a-4c3b-9a8e-2f1e0d9c8b7a', 1), userEvent('6f1c2b7e-1d2a-4c3b-9a8e-2f1e0d9c8b7a', 3)]],
    ['two aggregates', 0, [userEvent(randomUUID(), 1), userEvent(randomUUID(), 2)]],
  ])('given %s, when serialized, then InvalidAppendError', (_case, expected, events) => {
    expect(() => appendRequest(expected, events, {})).toThrow(InvalidAppendError);
  });
});
