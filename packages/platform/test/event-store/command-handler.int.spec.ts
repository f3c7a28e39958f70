import { randomUUID } from 'node:crypto';
import { ConcurrencyError, createEventStore, handleCommand, type EventStore } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { profileDecider } from './support/events.js';

describe('command handler on the event store', () => {
  let db: TestDatabase;
  let store: EventStore;
  const context = { correlationId: 'test', causationId: 'test' };

  beforeAll(async () => {
    db = await createTestDatabase('es_command', 30);
    store = createEventStore({ pool: db.pool, logger: db.logger });
  });
  afterAll(async () => {
    await db.drop();
  });

  it('given 20 concurrent renames of one user with retries, when handled, then every rename lands once, in one unbroken stream', async () => {
    const userId = randomUUID();
    const rename = handleCommand(store, `user-${userId}`, profileDecider, { retries: 50 });

    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => rename({ userId, name: `Name ${i}` }, context)));

    const stream = await store.readStream(`user-${userId}`);
    expect(stream.events.map((e) => e.version)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(results.map((r) => r.nextExpectedVersion).toSorted((a, b) => a - b)).toEqual(
      stream.events.map((e) => e.version),
    );
  });

  it('given concurrent renames without retries, when handled, then the losers get a ConcurrencyError', async () => {
    const userId = randomUUID();
    const rename = handleCommand(store, `user-${userId}`, profileDecider);
    await rename({ userId, name: 'First' }, context);

    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => rename({ userId, name: `Name ${i}` }, context)),
    );

    const rejected = outcomes.filter((o) => o.status === 'rejected');
    expect(rejected.length).toBeGreaterThan(0);
    for (const outcome of rejected) expect(outcome.reason).toBeInstanceOf(ConcurrencyError);
    expect((await store.readStream(`user-${userId}`)).version).toBe(1 + outcomes.length - rejected.length);
  });
});
