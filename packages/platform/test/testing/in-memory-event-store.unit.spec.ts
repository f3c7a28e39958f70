import { randomUUID } from 'node:crypto';
import { createEvent } from '@msa/contracts';
import { ConcurrencyError, createCommandHandler, InvalidAppendError, NO_STREAM } from '../../src/index.js';
import { createInMemoryEventStore } from '../../src/testing/index.js';
import { profileDecider, userEvent, userEvents } from '../event-store/support/events.js';

describe('in-memory event store', () => {
  it('given an empty store, when a stream is read, then it is at version 0 with no events', async () => {
    const store = createInMemoryEventStore();

    await expect(store.readStream(`user-${randomUUID()}`)).resolves.toEqual({ version: 0, events: [] });
  });

  it('given appends at the expected versions, when the stream is read, then it holds them in order', async () => {
    const store = createInMemoryEventStore();
    const userId = randomUUID();
    const events = userEvents(userId, 3);

    await store.append(`user-${userId}`, NO_STREAM, events.slice(0, 1));
    const second = await store.append(`user-${userId}`, 1, events.slice(1));

    expect(second).toEqual({ nextExpectedVersion: 3 });
    await expect(store.readStream(`user-${userId}`)).resolves.toEqual({ version: 3, events });
  });

  it('given a stream at version 2, when an append expects version 1, then it is a ConcurrencyError and nothing is written', async () => {
    const store = createInMemoryEventStore();
    const userId = randomUUID();
    await store.append(`user-${userId}`, NO_STREAM, userEvents(userId, 2));

    const stale = store.append(`user-${userId}`, 1, [userEvent(userId, 2)]);

    await expect(stale).rejects.toThrow(ConcurrencyError);
    await expect(stale).rejects.toMatchObject({ streamId: `user-${userId}`, expected: 1, actual: 2, retriable: true });
    expect((await store.readStream(`user-${userId}`)).version).toBe(2);
  });

  it('given events whose versions do not count on from the expected one, when appended, then it is an InvalidAppendError', async () => {
    const store = createInMemoryEventStore();
    const userId = randomUUID();

    await expect(store.append(`user-${userId}`, NO_STREAM, [userEvent(userId, 2)])).rejects.toThrow(InvalidAppendError);
  });

  it("given a stream of one user, when another user's events are appended to it, then it is an InvalidAppendError", async () => {
    const store = createInMemoryEventStore();
    const userId = randomUUID();
    await store.append(`user-${userId}`, NO_STREAM, [userEvent(userId, 1)]);

    const foreign = store.append(`user-${userId}`, 1, [userEvent(randomUUID(), 2)]);

    await expect(foreign).rejects.toThrow(InvalidAppendError);
  });

  it('given an event with an undefined field, when read back, then the field is gone, as through PostgreSQL', async () => {
    const store = createInMemoryEventStore();
    const userId = randomUUID();
    const event = createEvent({
      eventId: randomUUID(),
      version: 1,
      occurredAt: '2025-03-01T09:30:00.000Z',
      correlationId: 'test',
      causationId: 'test',
      eventType: 'UserCreated',
      payload: { userId, email: 'kim@example.com', name: 'Kim', role: 'customer', phone: undefined },
    });

    expect(Object.keys(event.payload)).toContain('phone');
    await store.append(`user-${userId}`, NO_STREAM, [event]);

    const [stored] = (await store.readStream(`user-${userId}`)).events;
    expect(stored?.payload).not.toHaveProperty('phone');
  });

  it('given appends to two streams, when the log is read after a position, then it continues from there in commit order', async () => {
    const recordedAt = new Date('2025-04-01T00:00:00.000Z');
    const store = createInMemoryEventStore({ clock: () => recordedAt });
    const [kim, lee] = [randomUUID(), randomUUID()];
    await store.append(`user-${kim}`, NO_STREAM, userEvents(kim, 2));
    await store.append(`user-${lee}`, NO_STREAM, userEvents(lee, 1));

    const all = await store.readAll();
    const afterFirst = await store.readAll(1, 1);

    expect(all.map((e) => [e.position, e.streamId, e.event.version])).toEqual([
      [1, `user-${kim}`, 1],
      [2, `user-${kim}`, 2],
      [3, `user-${lee}`, 1],
    ]);
    expect(all.every((e) => e.recordedAt === recordedAt)).toBe(true);
    expect(afterFirst.map((e) => e.position)).toEqual([2]);
  });

  it('given a position that holds no event, when the log is read after it, then it is a RangeError', async () => {
    const store = createInMemoryEventStore();

    await expect(store.readAll(7)).rejects.toThrow(RangeError);
  });

  it('given events at several times, when a time range is read, then only those in [from, to) of the asked types come, by time', async () => {
    const store = createInMemoryEventStore();
    const [early, late] = [randomUUID(), randomUUID()];
    await store.append(`user-${late}`, NO_STREAM, [userEvent(late, 1, '2025-03-03T00:00:00.000Z')]);
    await store.append(`user-${early}`, NO_STREAM, [userEvent(early, 1, '2025-03-02T00:00:00.000Z')]);
    await store.append(`user-${early}`, 1, [userEvent(early, 2, '2025-03-04T00:00:00.000Z')]);

    const created = await store.readByTimeRange({
      from: new Date('2025-03-02T00:00:00.000Z'),
      to: new Date('2025-03-04T00:00:00.000Z'),
      eventTypes: ['UserCreated'],
    });

    expect(created.map((e) => e.event.aggregateId)).toEqual([early, late]);
  });

  it('given the command handler on it, when commands for two streams come at once, then each lands on its own stream', async () => {
    const store = createInMemoryEventStore();
    const handle = createCommandHandler({ store, decider: profileDecider });
    const [kim, lee] = [randomUUID(), randomUUID()];

    const results = await Promise.all([
      handle(`user-${kim}`, { userId: kim, name: 'Kim' }),
      handle(`user-${kim}`, { userId: kim, name: 'Kim Minji' }),
      handle(`user-${lee}`, { userId: lee, name: 'Lee' }),
    ]);

    expect(results.map((r) => r.nextExpectedVersion)).toEqual([1, 2, 1]);
    expect((await store.readStream(`user-${kim}`)).events.map((e) => e.eventType)).toEqual(['UserCreated', 'UserUpdated']);
  });
});
