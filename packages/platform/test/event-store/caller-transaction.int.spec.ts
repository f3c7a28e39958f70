import { randomUUID } from 'node:crypto';
import {
  ConcurrencyError,
  createCommandHandler,
  createEventStore,
  NO_STREAM,
  TransactionRolledBackError,
  withTransaction,
  type EventStore,
} from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { profileDecider, userEvent } from './support/events.js';
import { lateAppend } from './support/late-append.js';
import { latch } from './support/latch.js';
import { lockWaiters } from './support/lock-waits.js';

describe('event store: appending inside a caller transaction', () => {
  let db: TestDatabase;
  let store: EventStore;
  const context = { correlationId: 'test', causationId: 'test' };

  beforeAll(async () => {
    db = await createTestDatabase('es_caller_tx', 20);
    store = createEventStore({ pool: db.pool, logger: db.logger });
    await db.pool.query('create table reservations (email text primary key)');
  });
  afterAll(async () => {
    await db.drop();
  });

  /** A statement that fails, aborting the transaction it runs in. */
  const failingStatement = 'select 1 / 0';

  it('given a caller that swallows a failed statement after appending, when it returns, then COMMIT rolling back is an error and the stream takes the next append at its real version', async () => {
    const userId = randomUUID();
    const streamId = `user-${userId}`;
    await store.append(streamId, NO_STREAM, [userEvent(userId, 1)]);

    const swallowed = withTransaction(db.pool, async (tx) => {
      await store.append(streamId, 1, [userEvent(userId, 2)], { tx });
      await tx.client.query(failingStatement).catch(() => undefined);
    });

    await expect(swallowed).rejects.toThrow(TransactionRolledBackError);
    expect((await store.readStream(streamId)).version).toBe(1);
    await expect(store.append(streamId, 1, [userEvent(userId, 2)])).resolves.toEqual({ nextExpectedVersion: 2 });
  });

  it('given a command handled in a transaction that COMMIT rolled back, when the next command comes, then it is decided on the committed state', async () => {
    const userId = randomUUID();
    const streamId = `user-${userId}`;
    const rename = createCommandHandler({ store, decider: profileDecider });
    await rename(streamId, { userId, name: 'First' }, context);

    const swallowed = withTransaction(db.pool, async (tx) => {
      await rename(streamId, { userId, name: 'Never' }, { ...context, tx });
      await tx.client.query(failingStatement).catch(() => undefined);
    });
    await expect(swallowed).rejects.toThrow(TransactionRolledBackError);

    const result = await rename(streamId, { userId, name: 'Second' }, context);

    expect(result).toMatchObject({ nextExpectedVersion: 2, state: { renames: 1 } });
  });

  it('given another transaction appended first and commits while this one waits at the unique index, when this one appends, then it gets a ConcurrencyError and its transaction stays usable', async () => {
    const userId = randomUUID();
    const streamId = `user-${userId}`;
    const other = createEventStore({ pool: db.pool, logger: db.logger });
    await store.append(streamId, NO_STREAM, [userEvent(userId, 1)]);
    const otherAppended = latch();
    const otherMayCommit = latch();
    const first = withTransaction(db.pool, async (tx) => {
      await other.append(streamId, 1, [userEvent(userId, 2)], { tx });
      otherAppended.open();
      await otherMayCommit.opened;
    });
    await otherAppended.opened;

    const committed = await withTransaction(db.pool, async (tx) => {
      // Both passed the version check; this insert now waits for the other transaction.
      const append = store.append(streamId, 1, [userEvent(userId, 2)], { tx });
      const conflict = append.then(
        () => undefined,
        (error: unknown) => error,
      );
      await lockWaiters(db.pool, 'transactionid', 1);
      otherMayCommit.open();
      await first;
      const error = await conflict;
      await tx.client.query('insert into reservations (email) values ($1)', [userId]);
      return error;
    });

    expect(committed).toBeInstanceOf(ConcurrencyError);
    expect(committed).toMatchObject({ expected: 1, actual: 2 });
    const { rowCount } = await db.pool.query('select 1 from reservations where email = $1', [userId]);
    expect(rowCount).toBe(1);
    expect((await store.readStream(streamId)).version).toBe(2);
    await expect(store.append(streamId, 2, [userEvent(userId, 3)])).resolves.toEqual({ nextExpectedVersion: 3 });
  });

  it('given a transaction that wrote before another append to the stream committed, when its append is refused, then the transaction stays usable', async () => {
    const userId = randomUUID();

    const late = lateAppend(db.pool, store, userId, {
      first: (tx) => tx.client.query('insert into reservations (email) values ($1)', [`${userId}-first`]),
      async rest(tx, append) {
        const refused = await append().then(
          () => undefined,
          (error: unknown) => error,
        );
        await tx.client.query('insert into reservations (email) values ($1)', [`${userId}-second`]);
        return refused;
      },
    });

    await expect(late).resolves.toMatchObject({ name: 'ConcurrencyError', expected: 2, actual: 2 });
    const { rowCount } = await db.pool.query('select 1 from reservations where email like $1', [`${userId}-%`]);
    expect(rowCount).toBe(2);
  });

  it('given a transaction that appended to a stream, when it appends there again at the old version and rolls back, then the stream takes the next append at its real version', async () => {
    const userId = randomUUID();
    const streamId = `user-${userId}`;

    const twice = withTransaction(db.pool, async (tx) => {
      await store.append(streamId, NO_STREAM, [userEvent(userId, 1)], { tx });
      await store.append(streamId, NO_STREAM, [userEvent(userId, 1)], { tx });
    });

    await expect(twice).rejects.toMatchObject({ name: 'ConcurrencyError', expected: 0, actual: 1 });
    await expect(store.append(streamId, NO_STREAM, [userEvent(userId, 1)])).resolves.toEqual({ nextExpectedVersion: 1 });
  });
});
