import { randomUUID } from 'node:crypto';
import { createEventStore, NO_STREAM, withTransaction, type EventStore, type RecordedEvent } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { userEvent, userEvents } from './support/events.js';

describe('event store: reading', () => {
  let db: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    db = await createTestDatabase('es_read');
    store = createEventStore({ pool: db.pool, logger: db.logger });
  });
  afterAll(async () => {
    await db.drop();
  });

  async function readEverything(after = 0, limit = 1_000): Promise<RecordedEvent[]> {
    const all: RecordedEvent[] = [];
    for (let page = await store.readAll(after, limit); page.length > 0; ) {
      all.push(...page);
      page = await store.readAll(page.at(-1)?.position ?? 0, limit);
    }
    return all;
  }

  /**
   * Reads the log after `after` until it holds `count` events: the read horizon is the oldest
   * transaction open anywhere on the PostgreSQL cluster (other test files, a running service), so
   * committed events may stay out of sight for a moment.
   */
  async function readCommitted(after: number, count: number, limit = 1_000): Promise<RecordedEvent[]> {
    let log = await readEverything(after, limit);
    for (const deadline = Date.now() + 20_000; log.length < count && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      log = await readEverything(after, limit);
    }
    return log;
  }

  it('given events in several streams, when the global log is read in small pages, then every event comes once, each stream in version order', async () => {
    const before = await readEverything();
    const users = [randomUUID(), randomUUID(), randomUUID()];
    for (const userId of users) await store.append(`user-${userId}`, NO_STREAM, userEvents(userId, 2));
    await store.append(`user-${users[0] ?? ''}`, 2, [userEvent(users[0] ?? '', 3)]);

    const log = await readCommitted(before.at(-1)?.position ?? 0, 7, 2);

    expect(log).toHaveLength(7);
    expect(new Set(log.map((r) => r.event.eventId)).size).toBe(7);
    for (const userId of users) {
      const versions = log.filter((r) => r.event.aggregateId === userId).map((r) => r.event.version);
      expect(versions).toEqual(versions.toSorted((a, b) => a - b));
    }
  });

  it('given a transaction still open with a lower position, when the log is read, then nothing after it is returned until it and every older transaction have ended', async () => {
    const start = (await readEverything()).at(-1)?.position ?? 0;
    const [early, late] = [randomUUID(), randomUUID()];
    let commit: () => void = () => undefined;
    const committing = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let appended: () => void = () => undefined;
    const earlyAppended = new Promise<void>((resolve) => {
      appended = resolve;
    });
    const open = withTransaction(db.pool, async (tx) => {
      await store.append(`user-${early}`, NO_STREAM, [userEvent(early, 1)], { tx });
      appended();
      await committing;
    });
    await earlyAppended;
    await store.append(`user-${late}`, NO_STREAM, [userEvent(late, 1)]);

    const whileOpen = await store.readAll(start);
    commit();
    await open;
    const afterCommit = await readCommitted(start, 2);

    expect(whileOpen).toEqual([]);
    expect(afterCommit.map((r) => r.event.aggregateId)).toEqual([early, late]);
  });

  it('given a position no event holds, when the log is read after it, then a RangeError says so', async () => {
    await expect(store.readAll(Number.MAX_SAFE_INTEGER)).rejects.toThrow(RangeError);
  });

  it('given events at different times, when a time range is queried, then only those in [from, to) of the asked types come, in time order', async () => {
    const userId = randomUUID();
    const at = (hour: number) => `2030-01-01T${String(hour).padStart(2, '0')}:00:00.000Z`;
    await store.append(`user-${userId}`, NO_STREAM, [
      userEvent(userId, 1, at(8)),
      userEvent(userId, 2, at(9)),
      userEvent(userId, 3, at(10)),
      userEvent(userId, 4, at(11)),
    ]);

    const updates = await store.readByTimeRange({
      from: new Date(at(8)),
      to: new Date(at(11)),
      eventTypes: ['UserUpdated'],
      aggregateType: 'User',
    });
    const everything = await store.readByTimeRange({ from: new Date(at(8)), to: new Date(at(12)) });
    const otherAggregate = await store.readByTimeRange({ from: new Date(at(8)), to: new Date(at(12)), aggregateType: 'Order' });

    expect(updates.map((r) => r.event.occurredAt)).toEqual([at(9), at(10)]);
    expect(everything.map((r) => r.event.version)).toEqual([1, 2, 3, 4]);
    expect(otherAggregate).toEqual([]);
  });

  it('given a UserCreated stored at schema version 1, when its stream is read, then it arrives in the current shape', async () => {
    const userId = randomUUID();
    await db.pool.query(
      `insert into events (stream_id, version, event_id, event_type, aggregate_type, aggregate_id, schema_version,
                           correlation_id, causation_id, occurred_at, payload, topic)
       values ($1, 1, $2, 'UserCreated', 'User', $3, 1, 'c', 'c', '2020-05-01T00:00:00Z', $4, 'user.profile.created')`,
      [`user-${userId}`, randomUUID(), userId, { userId, email: 'old@example.com', name: 'Old Timer', createdAt: '2020-05-01' }],
    );

    const { events } = await store.readStream(`user-${userId}`);

    expect(events).toEqual([
      expect.objectContaining({
        eventType: 'UserCreated',
        schemaVersion: 2,
        occurredAt: '2020-05-01T00:00:00.000Z',
        payload: { userId, email: 'old@example.com', name: 'Old Timer', role: 'customer' },
      }),
    ]);
  });

  it('given a stored row no current schema reads, when its stream is read, then a StoredEventError names its position', async () => {
    const userId = randomUUID();
    await db.pool.query(
      `insert into events (stream_id, version, event_id, event_type, aggregate_type, aggregate_id, schema_version,
                           correlation_id, causation_id, occurred_at, payload, topic)
       values ($1, 1, $2, 'UserCreated', 'User', $3, 9, 'c', 'c', now(), '{}', 'user.profile.created')`,
      [`user-${userId}`, randomUUID(), userId],
    );

    await expect(store.readStream(`user-${userId}`)).rejects.toMatchObject({
      name: 'StoredEventError',
      position: expect.any(Number) as number,
    });
  });

  it('given a stream, when read after a version, then only the later events come', async () => {
    const userId = randomUUID();
    await store.append(`user-${userId}`, NO_STREAM, userEvents(userId, 4));

    const tail = await store.readStream(`user-${userId}`, { afterVersion: 2 });
    const missing = await store.readStream(`user-${randomUUID()}`);

    expect(tail.events.map((e) => e.version)).toEqual([3, 4]);
    expect(tail.version).toBe(4);
    expect(missing).toEqual({ version: 0, events: [] });
  });
});
