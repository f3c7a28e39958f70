import { randomUUID } from 'node:crypto';
import {
  ConcurrencyError,
  createEventStore,
  InvalidAppendError,
  NO_STREAM,
  withTransaction,
  type AppendResult,
  type EventStore,
} from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { userEvent, userEvents } from './support/events.js';
import { lateAppend } from './support/late-append.js';
import { lockWaiters } from './support/lock-waits.js';

describe('event store: appending', () => {
  let db: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    db = await createTestDatabase('es_append', 60);
    store = createEventStore({ pool: db.pool, logger: db.logger });
  });
  afterAll(async () => {
    await db.drop();
  });

  it('given no stream, when events are appended at NO_STREAM, then the stream reads back in version order', async () => {
    const userId = randomUUID();
    const events = userEvents(userId, 3);

    const result = await store.append(`user-${userId}`, NO_STREAM, events);
    const stream = await store.readStream(`user-${userId}`);

    expect(result.nextExpectedVersion).toBe(3);
    expect(stream.version).toBe(3);
    expect(stream.events).toEqual(events);
  });

  it('given a stream at version 2, when an append expects version 1, then a ConcurrencyError names both and nothing is written', async () => {
    const userId = randomUUID();
    await store.append(`user-${userId}`, NO_STREAM, userEvents(userId, 2));

    const append = store.append(`user-${userId}`, 1, [userEvent(userId, 2)]);

    await expect(append).rejects.toThrow(ConcurrencyError);
    await expect(append).rejects.toMatchObject({ streamId: `user-${userId}`, expected: 1, actual: 2 });
    expect((await store.readStream(`user-${userId}`)).version).toBe(2);
  });

  it('given 50 writers, each with a store of its own, that all passed the version check, when their inserts meet, then PostgreSQL lets exactly one win and 49 conflict', async () => {
    const userId = randomUUID();
    const streamId = `user-${userId}`;
    await store.append(streamId, NO_STREAM, [userEvent(userId, 1)]);
    const contenders = Array.from({ length: 50 }, () => [userEvent(userId, 2), userEvent(userId, 3)]);
    // A store each, as 50 processes would have: no stream lanes to refuse the others in memory.
    const writers = contenders.map((events) => ({ writer: createEventStore({ pool: db.pool, logger: db.logger }), events }));
    // The lock lets every writer read the stream at version 1 and pass the check, then holds its insert.
    const gate = await db.pool.connect();
    let appends: Promise<AppendResult>[];
    try {
      await gate.query('begin');
      await gate.query('lock table events in exclusive mode');
      appends = writers.map(({ writer, events }) => writer.append(streamId, 1, events));
      await lockWaiters(db.pool, 'relation', writers.length);
    } finally {
      await gate.query('commit');
      gate.release();
    }

    const outcomes = await Promise.allSettled(appends);
    const won = outcomes.flatMap((o, index) => (o.status === 'fulfilled' ? [index] : []));
    const conflicts = outcomes.flatMap((o) => (o.status === 'rejected' && o.reason instanceof ConcurrencyError ? [o.reason] : []));
    expect(won).toHaveLength(1);
    expect(conflicts).toHaveLength(49);
    expect(conflicts.map(({ expected, actual }) => [expected, actual])).toEqual(Array.from({ length: 49 }, () => [1, 3]));
    const stream = await store.readStream(streamId);
    expect(stream.events.map((e) => e.version)).toEqual([1, 2, 3]);
    expect(stream.events.slice(1)).toEqual(contenders[won[0] ?? -1]);
  });

  it('given one store that saw the stream move on, when an append expects an older version, then it is refused without asking the database', async () => {
    const userId = randomUUID();
    const streamId = `user-${userId}`;
    await store.append(streamId, NO_STREAM, [userEvent(userId, 1)]);
    await store.append(streamId, 1, [userEvent(userId, 2)]);

    const stale = store.append(streamId, 1, [userEvent(userId, 2)]);

    await expect(stale).rejects.toMatchObject({ expected: 1, actual: 2 });
  });

  it('given another store appended meanwhile, when this one appends at the version it last knew, then the database refuses it', async () => {
    const userId = randomUUID();
    const streamId = `user-${userId}`;
    const other = createEventStore({ pool: db.pool, logger: db.logger });
    await store.append(streamId, NO_STREAM, [userEvent(userId, 1)]);
    await other.append(streamId, 1, [userEvent(userId, 2)]);

    const stale = store.append(streamId, 1, [userEvent(userId, 2)]);

    await expect(stale).rejects.toMatchObject({ expected: 1, actual: 2 });
    expect((await store.readStream(streamId)).version).toBe(2);
  });

  it('given a caller transaction, when it rolls back after appending, then neither the events nor its own row exist', async () => {
    const userId = randomUUID();
    await db.pool.query('create table if not exists reservations (email text primary key)');

    const attempt = withTransaction(db.pool, async (tx) => {
      await store.append(`user-${userId}`, NO_STREAM, [userEvent(userId, 1)], { tx });
      await tx.client.query('insert into reservations (email) values ($1)', [userId]);
      throw new Error('the caller changed its mind');
    });

    await expect(attempt).rejects.toThrow('the caller changed its mind');
    expect((await store.readStream(`user-${userId}`)).events).toEqual([]);
    const { rowCount } = await db.pool.query('select 1 from reservations where email = $1', [userId]);
    expect(rowCount).toBe(0);
  });

  it('given a caller transaction, when it commits, then the events and its own row are both there', async () => {
    const userId = randomUUID();
    await db.pool.query('create table if not exists reservations (email text primary key)');

    await withTransaction(db.pool, async (tx) => {
      await store.append(`user-${userId}`, NO_STREAM, [userEvent(userId, 1)], { tx });
      await tx.client.query('insert into reservations (email) values ($1)', [userId]);
    });

    expect((await store.readStream(`user-${userId}`)).version).toBe(1);
    const { rowCount } = await db.pool.query('select 1 from reservations where email = $1', [userId]);
    expect(rowCount).toBe(1);
  });

  it('given a transaction that wrote before another append to the stream committed, when it appends, then it must retry', async () => {
    const userId = randomUUID();
    const other = randomUUID();

    const late = lateAppend(db.pool, store, userId, {
      first: (tx) => store.append(`user-${other}`, NO_STREAM, [userEvent(other, 1)], { tx }),
      rest: (_tx, append) => append(),
    });

    await expect(late).rejects.toMatchObject({ name: 'ConcurrencyError', expected: 2, actual: 2 });
    expect((await store.readStream(`user-${userId}`)).version).toBe(2);
  });

  it('given a stream of one user, when another user\'s event is appended to it, then the store refuses', async () => {
    const userId = randomUUID();
    await store.append(`user-${userId}`, NO_STREAM, [userEvent(userId, 1)]);

    const append = store.append(`user-${userId}`, 1, [userEvent(randomUUID(), 2)]);

    await expect(append).rejects.toThrow(/belongs to User\//);
  });

  it('given events whose versions do not follow the expected version, when appended, then InvalidAppendError', async () => {
    const userId = randomUUID();

    const append = store.append(`user-${userId}`, NO_STREAM, [userEvent(userId, 2)]);

    await expect(append).rejects.toThrow(InvalidAppendError);
  });

  it('given 40 appends to different streams at once, when committed, then they share transactions and each gets its own outcome', async () => {
    const users = Array.from({ length: 40 }, () => randomUUID());
    await store.append(`user-${users[1] ?? ''}`, NO_STREAM, [userEvent(users[1] ?? '', 1)]);
    const taken = userEvent(randomUUID(), 1);
    await store.append(`user-${taken.aggregateId}`, NO_STREAM, [taken]);
    // Given also one stream already created, and an event id already used by another stream.

    const outcomes = await Promise.allSettled(
      users.map((userId, index) => {
        if (index === 1) return store.append(`user-${userId}`, NO_STREAM, [userEvent(userId, 1)]); // stale
        if (index === 2) return store.append(`user-${userId}`, NO_STREAM, [{ ...userEvent(userId, 1), eventId: taken.eventId }]);
        return store.append(`user-${userId}`, NO_STREAM, userEvents(userId, 2));
      }),
    );

    expect(outcomes[1]).toMatchObject({ status: 'rejected', reason: expect.any(ConcurrencyError) as unknown });
    expect(outcomes[2]).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ constraint: 'events_event_id_key' }) as unknown });
    const others = outcomes.filter((_, index) => index > 2);
    expect(others.every((o) => o.status === 'fulfilled')).toBe(true);
    const { rows } = await db.pool.query<{ transactions: string }>(
      'select count(distinct transaction_id) as transactions from events where stream_id = any($1)',
      [users.slice(3).map((userId) => `user-${userId}`)],
    );
    expect(Number(rows[0]?.transactions)).toBeLessThan(37);
    // Exactly: the first append found a transaction slot free and left alone, at once (the append
    // with the taken id took the other slot, and the stale one was refused in memory); the 37 that
    // arrived while both slots were busy left together, in one transaction of their own.
    const { rows: transactions } = await db.pool.query<{ streams: string[] }>(
      `select array_agg(distinct stream_id) as streams from events where stream_id = any($1)
        group by transaction_id order by min(position)`,
      [users.map((userId) => `user-${userId}`)],
    );
    const indexes = transactions.map(({ streams }) =>
      streams.map((streamId) => users.findIndex((userId) => streamId === `user-${userId}`)).toSorted((a, b) => a - b),
    );
    expect(indexes).toEqual([[1], [0], Array.from({ length: 37 }, (_, index) => index + 3)]);
  });
});
