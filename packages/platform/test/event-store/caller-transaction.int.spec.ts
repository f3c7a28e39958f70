import { randomUUID } from 'node:crypto';
import {
  createEventStore,
  handleCommand,
  NO_STREAM,
  TransactionRolledBackError,
  withTransaction,
  type EventStore,
} from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { profileDecider, userEvent } from './support/events.js';

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
    const rename = handleCommand(store, `user-${userId}`, profileDecider);
    await rename({ userId, name: 'First' }, context);

    const swallowed = withTransaction(db.pool, async (tx) => {
      await rename({ userId, name: 'Never' }, { ...context, tx });
      await tx.client.query(failingStatement).catch(() => undefined);
    });
    await expect(swallowed).rejects.toThrow(TransactionRolledBackError);

    const result = await rename({ userId, name: 'Second' }, context);

    expect(result).toMatchObject({ nextExpectedVersion: 2, state: { renames: 1 } });
  });
});
