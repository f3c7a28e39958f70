import { randomUUID } from 'node:crypto';
import { ConcurrencyError, createEventStore, InvalidAppendError, NO_STREAM, type EventStore } from '../../src/index.js';
import { createInMemoryEventStore } from '../../src/testing/index.js';
import { createTestDatabase, type TestDatabase } from '../event-store/support/database.js';
import { userEvent, userEvents } from '../event-store/support/events.js';

/** What an append came to: its result, or the error's class and the fields a caller reads. */
async function outcomeOf(append: Promise<unknown>): Promise<unknown> {
  try {
    return { resolved: await append };
  } catch (error) {
    if (error instanceof ConcurrencyError) {
      const { name, streamId, expected, actual, retriable } = error;
      return { rejected: { name, streamId, expected, actual, retriable } };
    }
    return { rejected: error instanceof Error ? error.name : String(error) };
  }
}

describe('in-memory event store beside the PostgreSQL one', () => {
  let db: TestDatabase;
  const stores: Record<string, () => EventStore> = {};

  beforeAll(async () => {
    db = await createTestDatabase('es_in_memory_parity');
    stores.postgres = () => createEventStore({ pool: db.pool, logger: db.logger });
    stores.memory = () => createInMemoryEventStore();
  });
  afterAll(async () => {
    await db.drop();
  });

  /** Runs `appends` on a fresh store of each kind; the outcomes of each, by kind. */
  async function onBoth(appends: (store: EventStore, streamId: string, userId: string) => Promise<unknown>[]) {
    const outcomes: Record<string, unknown[]> = {};
    for (const [kind, create] of Object.entries(stores)) {
      const userId = randomUUID();
      const store = create();
      const results: unknown[] = [];
      // One after another, as a caller awaiting each append would see them.
      for (const append of appends(store, `user-${userId}`, userId)) results.push(await outcomeOf(append));
      outcomes[kind] = results.map((result) => JSON.parse(JSON.stringify(result).replaceAll(userId, '<user>')) as unknown);
    }
    return outcomes;
  }

  it('given a stream at version 2, when an append expects an older or a newer version, then both stores refuse it with the same ConcurrencyError', async () => {
    const outcomes = await onBoth((store, streamId, userId) => {
      const created = store.append(streamId, NO_STREAM, userEvents(userId, 2));
      return [
        created,
        created.then(() => store.append(streamId, 1, [userEvent(userId, 2)])),
        created.then(() => store.append(streamId, 3, [userEvent(userId, 4)])),
        created.then(() => store.append(streamId, NO_STREAM, [userEvent(userId, 1)])),
      ];
    });

    expect(outcomes.memory).toEqual(outcomes.postgres);
    expect(outcomes.postgres).toEqual([
      { resolved: { nextExpectedVersion: 2 } },
      { rejected: { name: 'ConcurrencyError', streamId: 'user-<user>', expected: 1, actual: 2, retriable: true } },
      { rejected: { name: 'ConcurrencyError', streamId: 'user-<user>', expected: 3, actual: 2, retriable: true } },
      { rejected: { name: 'ConcurrencyError', streamId: 'user-<user>', expected: 0, actual: 2, retriable: true } },
    ]);
  });

  it('given a new stream, when an append expects a version it never had, then both stores refuse it with the same ConcurrencyError', async () => {
    const outcomes = await onBoth((store, streamId, userId) => [store.append(streamId, 1, [userEvent(userId, 2)])]);

    expect(outcomes.memory).toEqual(outcomes.postgres);
    expect(outcomes.postgres).toEqual([
      { rejected: { name: 'ConcurrencyError', streamId: 'user-<user>', expected: 1, actual: 0, retriable: true } },
    ]);
  });

  it('given appends that do not count on from their expected version, when made, then both stores refuse them as invalid', async () => {
    const outcomes = await onBoth((store, streamId, userId) => [
      store.append(streamId, NO_STREAM, [userEvent(userId, 2)]),
      store.append(streamId, NO_STREAM, []),
      store.append(streamId, -1, [userEvent(userId, 1)]),
    ]);

    expect(outcomes.memory).toEqual(outcomes.postgres);
    expect(outcomes.postgres).toEqual(Array.from({ length: 3 }, () => ({ rejected: InvalidAppendError.name })));
  });

  it('given a stream appended in two parts, when read after a version, then both stores return the same events and version', async () => {
    const reads: Record<string, unknown> = {};
    const events = userEvents(randomUUID(), 3);
    for (const [kind, create] of Object.entries(stores)) {
      const store = create();
      const streamId = `user-${randomUUID()}`;
      await store.append(streamId, NO_STREAM, events.slice(0, 2));
      await store.append(streamId, 2, events.slice(2));
      reads[kind] = [await store.readStream(streamId, { afterVersion: 1 }), await store.readStream(streamId, { afterVersion: 3 })];
    }

    expect(reads.memory).toEqual(reads.postgres);
  });
});
