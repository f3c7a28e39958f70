import { randomUUID } from 'node:crypto';
import {
  ConcurrencyError,
  createEventStore,
  createCommandHandler,
  type CommandResult,
  type EventStore,
} from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { profileDecider } from './support/events.js';
import { latch } from './support/latch.js';

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

  it('given 20 renames of one user with retries, one of them from another process between this one\'s read and append, when handled, then the conflict is retried and every rename lands once, in one unbroken stream', async () => {
    const userId = randomUUID();
    const streamId = `user-${userId}`;
    const elsewhere = createCommandHandler({ store: createEventStore({ pool: db.pool, logger: db.logger }), decider: profileDecider });
    let reads = 0;
    let conflicts = 0;
    let competing: Promise<CommandResult<unknown, 'User'>> | undefined;
    const racing: EventStore = {
      ...store,
      readStream: async (...args) => {
        const stream = await store.readStream(...args);
        reads += 1;
        // The other process commits after this process's first read, so that read's append conflicts.
        if (reads === 1) {
          competing = elsewhere(streamId, { userId, name: 'Elsewhere' }, context);
          await competing;
        }
        return stream;
      },
      append: async (...args) => {
        try {
          return await store.append(...args);
        } catch (error) {
          if (error instanceof ConcurrencyError) conflicts += 1;
          throw error;
        }
      },
    };
    const rename = createCommandHandler({ store: racing, decider: profileDecider, retries: 50 });

    const handled = await Promise.all(
      Array.from({ length: 19 }, (_, i) => rename(streamId, { userId, name: `Name ${i}` }, context)),
    );
    const results = [...handled, await (competing ?? Promise.reject(new Error('the other process never wrote')))];

    expect(conflicts).toBe(1);
    expect(reads).toBe(3);
    const stream = await store.readStream(`user-${userId}`);
    expect(stream.events.map((e) => e.version)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(results.map((r) => r.nextExpectedVersion).toSorted((a, b) => a - b)).toEqual(
      stream.events.map((e) => e.version),
    );
  });

  it('given 20 concurrent renames of one user in one process without retries, when handled, then they share commits and none conflicts', async () => {
    const userId = randomUUID();
    const streamId = `user-${userId}`;
    const rename = createCommandHandler({ store, decider: profileDecider, retries: 0 });
    await rename(streamId, { userId, name: 'First' }, context);
    // The first command's turn ends after it resolved; the renames are to find the stream idle.
    await new Promise((resolve) => setImmediate(resolve));

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => rename(streamId, { userId, name: `Name ${i}` }, context)),
    );

    expect(results.map((r) => r.nextExpectedVersion)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    const { rows } = await db.pool.query<{ commits: string }>(
      'select count(distinct transaction_id) as commits from events where stream_id = $1',
      [`user-${userId}`],
    );
    expect(Number(rows[0]?.commits)).toBeLessThan(21);
    // Exactly: the first rename found the stream idle and was handled at once, alone; the 19 that
    // queued behind it were then decided together and committed in one transaction.
    const { rows: commits } = await db.pool.query<{ versions: number[] }>(
      `select array_agg(version order by version) as versions from events where stream_id = $1
        group by transaction_id order by min(version)`,
      [`user-${userId}`],
    );
    expect(commits.map(({ versions }) => versions)).toEqual([[1], [2], Array.from({ length: 19 }, (_, i) => i + 3)]);
  });

  it('given two processes that read one user at the same version, when both append, then the later commit gets a ConcurrencyError', async () => {
    const userId = randomUUID();
    const other = createEventStore({ pool: db.pool, logger: db.logger });
    const streamId = `user-${userId}`;
    await createCommandHandler({ store, decider: profileDecider })(streamId, { userId, name: 'First' }, context);
    const secondRead = latch();
    const firstAppended = latch();
    const first: EventStore = {
      ...store,
      append: async (...args) => {
        await secondRead.opened;
        try {
          return await store.append(...args);
        } finally {
          firstAppended.open();
        }
      },
    };
    const second: EventStore = {
      ...other,
      readStream: async (...args) => {
        try {
          return await other.readStream(...args);
        } finally {
          secondRead.open();
        }
      },
      append: async (...args) => {
        await firstAppended.opened;
        return other.append(...args);
      },
    };

    const outcomes = await Promise.allSettled(
      [first, second].map((s, i) =>
        createCommandHandler({ store: s, decider: profileDecider, retries: 0 })(streamId, { userId, name: `Name ${i}` }, context),
      ),
    );

    expect(outcomes[0]?.status).toBe('fulfilled');
    expect(outcomes[1]).toMatchObject({ status: 'rejected', reason: expect.any(ConcurrencyError) as unknown });
    expect((await store.readStream(`user-${userId}`)).version).toBe(2);
  });
});
