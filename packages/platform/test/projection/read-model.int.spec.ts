import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventOf } from '@msa/contracts';
import { createTestMongoDatabase, type TestMongoDatabase } from '@msa/local';
import { classifyError } from '../../src/consumer/index.js';
import { createEventStore, eventStoreMigrations, type EventStore } from '../../src/event-store/index.js';
import { migrate } from '../../src/postgres/migrate.js';
import { withTransaction } from '../../src/postgres/transaction.js';
import {
  mongoReadModel,
  ProjectionGapError,
  RebuildInProgressError,
  type MongoReadModel,
  type ReadModelDefinition,
  type VersionedDocument,
} from '../../src/projection/index.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { eventually, gate, unique, userCreated, userUpdated } from '../consumer/fixture.js';
import { createPooledDatabase, type PooledTestDatabase } from '../support/pooled-database.js';

type UserEvent = EventOf<'UserCreated'> | EventOf<'UserUpdated'>;

interface Profile extends VersionedDocument {
  readonly name: string;
  /** How many renames the profile has seen: a field only the stored document can say. */
  readonly renames: number;
}

/** A read model of its own for each test, so pointers, locks and collections never meet. */
function profiles(): ReadModelDefinition<Profile, UserEvent> {
  return {
    name: unique('profiles', '_'),
    handles: ['UserCreated', 'UserUpdated'],
    indexes: [{ name: 'by_name', key: { name: 1 } }],
    evolve(profile, event) {
      if (event.eventType === 'UserCreated') return { name: event.payload.name, renames: 0 };
      if (profile === undefined) return undefined;
      return { name: event.payload.name ?? profile.name, renames: profile.renames + 1 };
    },
  };
}

describe('read model on the MongoDB-wire server: live projection and rebuild', () => {
  const logger = createLogger({ service: 'test', level: 'silent' });
  let mongo: TestMongoDatabase;
  let database: PooledTestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    mongo = await createTestMongoDatabase('read_model');
    database = await createPooledDatabase('read_model');
    await migrate(database.pool, eventStoreMigrations);
    store = createEventStore({ pool: database.pool, logger });
  }, 60_000);
  afterAll(async () => {
    await mongo.drop();
    await database.drop();
  }, 60_000);

  /** Projects `event` in a transaction of its own, as the consumer's handler would. */
  const project = (model: MongoReadModel<Profile, UserEvent>, event: UserEvent) =>
    withTransaction(database.pool, (tx) => model.project(event, { tx }));

  /**
   * Appends `events` to their user's stream and waits until the global log shows them: only events
   * the outbox relay has published reach a live projection, and it publishes what the log shows.
   */
  async function appended(...events: UserEvent[]): Promise<UserEvent[]> {
    for (const event of events) await store.append(`user-${event.aggregateId}`, event.version - 1, [event]);
    const ids = new Set(events.map((event) => event.eventId));
    for (const deadline = Date.now() + 20_000; ; ) {
      const seen = new Set<string>();
      for (let page = await store.readAll(0, 1_000); page.length > 0; page = await store.readAll(page.at(-1)?.position, 1_000)) {
        for (const { event } of page) seen.add(event.eventId);
      }
      if ([...ids].every((id) => seen.has(id))) return events;
      if (Date.now() > deadline) throw new Error('appended events did not show in the global log within 20 s');
      await sleep(50);
    }
  }

  async function documents(model: MongoReadModel<Profile, UserEvent>): Promise<Profile[]> {
    return (await model.collection()).find({}).sort({ _id: 1 }).toArray();
  }

  async function collectionNames(): Promise<string[]> {
    return (await mongo.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  }

  /** Whether a session of the test database waits for an advisory lock. */
  async function someoneWaitsForALock(): Promise<boolean> {
    const { rows } = await database.pool.query<{ waiting: boolean }>(
      `select exists (select 1 from pg_locks l join pg_database d on d.oid = l.database
                      where l.locktype = 'advisory' and not l.granted and d.datname = current_database()) as waiting`,
    );
    return rows[0]?.waiting === true;
  }

  it('given no document, when a creation is projected, then the whole document is written at its version', async () => {
    const model = mongoReadModel(mongo.db, profiles());
    const created = userCreated(randomUUID(), 'Kim');

    const outcome = await project(model, created);

    expect(outcome).toBe('applied');
    expect(await documents(model)).toEqual([{ _id: created.aggregateId, name: 'Kim', renames: 0, version: 1 }]);
  });

  it('given a document at version 2, when an event is delivered again or an older one arrives, then both are stale', async () => {
    const model = mongoReadModel(mongo.db, profiles());
    const user = randomUUID();
    await project(model, userCreated(user, 'Kim'));
    await project(model, userUpdated(user, 2, 'Kim Minji'));

    const outcomes = [await project(model, userUpdated(user, 2, 'Again')), await project(model, userCreated(user, 'Older'))];

    expect(outcomes).toEqual(['stale', 'stale']);
    expect(await documents(model)).toEqual([{ _id: user, name: 'Kim Minji', renames: 1, version: 2 }]);
  });

  it('given no event store to read, when an update arrives before its creation, then a retriable gap error says so', async () => {
    const model = mongoReadModel(mongo.db, profiles());

    const early = project(model, userUpdated(randomUUID(), 2, 'Early'));

    await expect(early).rejects.toBeInstanceOf(ProjectionGapError);
    await expect(early.catch((error: unknown) => classifyError(error))).resolves.toMatchObject({ retriable: true });
  });

  it('given twenty concurrent deliveries of one creation and then of one update, when they race, then each applies once', async () => {
    const model = mongoReadModel(mongo.db, profiles());
    const user = randomUUID();
    const created = userCreated(user, 'Race');
    const renamed = userUpdated(user, 2, 'Raced');

    const creations = await Promise.all(Array.from({ length: 20 }, () => project(model, created)));
    const updates = await Promise.all(Array.from({ length: 20 }, () => project(model, renamed)));

    expect(creations.filter((outcome) => outcome === 'applied')).toHaveLength(1);
    expect(updates.filter((outcome) => outcome === 'applied')).toHaveLength(1);
    expect(await documents(model)).toEqual([{ _id: user, name: 'Raced', renames: 1, version: 2 }]);
  });

  it('given a live write in flight, when a rebuild switches, then it waits for the write, keeps it, and the old collection stays dropped', async () => {
    const definition = profiles();
    const model = mongoReadModel(mongo.db, definition);
    const [first, second] = [randomUUID(), randomUUID()];
    for (const event of await appended(userCreated(first, 'First'), userCreated(second, 'Second'))) await project(model, event);
    const renamed = userUpdated(first, 2, 'First renamed');
    await appended(renamed);
    const released = gate();
    const written = gate();
    // A consumer handler that has written to the serving collection and not committed yet.
    const inFlight = withTransaction(database.pool, async (tx) => {
      await model.project(renamed, { tx });
      written.open();
      await released.opened;
    });
    await written.opened;

    const rebuild = model.rebuild({ store, pool: database.pool, logger, retireAfterMs: 50 });
    try {
      await eventually(someoneWaitsForALock, 5_000);
      expect((await model.collection()).collectionName).toBe(definition.name);
    } finally {
      released.open();
    }
    await inFlight;
    const result = await rebuild;
    await project(model, userUpdated(first, 3, 'First again'));

    expect(result.collection).toMatch(new RegExp(`^${definition.name}_rebuilt_`));
    expect(result).toMatchObject({ replaced: definition.name, events: 3 });
    expect((await model.collection()).collectionName).toBe(result.collection);
    expect(await documents(model)).toEqual(
      [
        { _id: first, name: 'First again', renames: 2, version: 3 },
        { _id: second, name: 'Second', renames: 0, version: 1 },
      ].sort((a, b) => a._id.localeCompare(b._id)),
    );
    expect(await collectionNames()).not.toContain(definition.name);
    const indexes = await (await model.collection()).indexes();
    expect(indexes.map((index) => index.name)).toContain('by_name');
  });

  it('given a rebuild holding its lock, when a second one starts, then it is refused', async () => {
    const definition = profiles();
    const model = mongoReadModel(mongo.db, definition);
    const released = gate();
    const reading = gate();
    const held: Pick<EventStore, 'readAll'> = {
      async readAll(after, limit) {
        reading.open();
        await released.opened;
        return store.readAll(after, limit);
      },
    };
    const first = model.rebuild({ store: held, pool: database.pool, logger, retireAfterMs: 0 });
    await reading.opened;

    const second = model.rebuild({ store, pool: database.pool, logger, retireAfterMs: 0 });

    await expect(second).rejects.toBeInstanceOf(RebuildInProgressError);
    released.open();
    await expect(first).resolves.toMatchObject({ replaced: definition.name });
  });

  it('given collections an earlier rebuild left behind, when the read model is rebuilt, then only the serving one remains', async () => {
    const definition = profiles();
    const model = mongoReadModel(mongo.db, definition);
    await model.rebuild({ store, pool: database.pool, logger, retireAfterMs: 0 });
    const leftover = `${definition.name}_rebuilt_0leftover`;
    await mongo.db.createCollection(leftover);
    await mongo.db.createCollection(definition.name);
    const unrelated = `${definition.name}_archive`;
    await mongo.db.createCollection(unrelated);

    const result = await model.rebuild({ store, pool: database.pool, logger, retireAfterMs: 0 });

    const names = (await collectionNames()).filter((name) => name.startsWith(definition.name));
    expect(names.sort()).toEqual([result.collection, unrelated].sort());
  });
});
