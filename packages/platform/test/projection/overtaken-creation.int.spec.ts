import { randomUUID } from 'node:crypto';
import { createEvent, type EventOf } from '@msa/contracts';
import { createTestMongoDatabase, type TestMongoDatabase } from '@msa/local';
import { classifyError } from '../../src/consumer/index.js';
import { createEventStore, eventStoreMigrations, type EventStore } from '../../src/event-store/index.js';
import { migrate } from '../../src/postgres/migrate.js';
import { withTransaction } from '../../src/postgres/transaction.js';
import {
  mongoReadModel,
  ProjectionGapError,
  type MongoReadModel,
  type ReadModelDefinition,
  type VersionedDocument,
} from '../../src/projection/index.js';
import { eventStoreHistory } from '../../src/projection/stream-history.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { unique, userCreated, userUpdated } from '../consumer/fixture.js';
import { createPooledDatabase, type PooledTestDatabase } from '../support/pooled-database.js';

type UserEvent = EventOf<'UserCreated'> | EventOf<'UserUpdated'>;

interface Profile extends VersionedDocument {
  readonly role: string;
  readonly name: string;
  /** How many renames the profile has seen: a field only the stored document can say. */
  readonly renames: number;
}

/** A read model of its own for each test; an update needs the document its creation made. */
function profiles(): ReadModelDefinition<Profile, UserEvent> {
  return {
    name: unique('profiles', '_'),
    handles: ['UserCreated', 'UserUpdated'],
    evolve(profile, event) {
      if (event.eventType === 'UserCreated') return { role: event.payload.role, name: event.payload.name, renames: 0 };
      return profile && { role: profile.role, name: event.payload.name ?? profile.name, renames: profile.renames + 1 };
    },
  };
}

describe('read model on the MongoDB-wire server: an event that overtook its creation', () => {
  const logger = createLogger({ service: 'test', level: 'silent' });
  let mongo: TestMongoDatabase;
  let database: PooledTestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    mongo = await createTestMongoDatabase('overtaken_creation');
    database = await createPooledDatabase('overtaken_creation');
    await migrate(database.pool, eventStoreMigrations);
    store = createEventStore({ pool: database.pool, logger });
  }, 60_000);
  afterAll(async () => {
    await mongo.drop();
    await database.drop();
  }, 60_000);

  /** The read model projecting from the test's event store, as the service kit wires it. */
  const readModel = () => mongoReadModel(mongo.db, profiles(), { history: eventStoreHistory(store) });

  /** Projects `events` one by one, each in a transaction of its own as the consumer's handler would. */
  async function project(model: MongoReadModel<Profile, UserEvent>, ...events: UserEvent[]): Promise<string[]> {
    const outcomes: string[] = [];
    for (const event of events) outcomes.push(await withTransaction(database.pool, (tx) => model.project(event, { tx })));
    return outcomes;
  }

  /** Appends `events` to their user's stream, whose id is not the aggregate id, as in the services. */
  async function stored(...events: UserEvent[]): Promise<UserEvent[]> {
    for (const event of events) await store.append(`user-${event.aggregateId}`, event.version - 1, [event]);
    return events;
  }

  async function documents(model: MongoReadModel<Profile, UserEvent>): Promise<Profile[]> {
    return (await model.collection()).find({}).sort({ _id: 1 }).toArray();
  }

  it('given a creation and two updates stored, when the first update arrives first, then it is applied from the stream and the creation is stale', async () => {
    const model = readModel();
    const user = randomUUID();
    const [created, renamed, renamedAgain] = await stored(userCreated(user, 'Kim'), userUpdated(user, 2, 'Kim Minji'), userUpdated(user, 3, 'Minji'));
    if (created === undefined || renamed === undefined || renamedAgain === undefined) throw new Error('three events were stored');

    const outcomes = await project(model, renamed, created, renamedAgain);

    expect(outcomes).toEqual(['applied', 'stale', 'applied']);
    expect(await documents(model)).toEqual([{ _id: user, role: 'customer', name: 'Minji', renames: 2, version: 3 }]);
  });

  it('given a stream whose events all overtook its creation, when the last arrives first, then the document folds up to it and the earlier ones are stale', async () => {
    const model = readModel();
    const user = randomUUID();
    const events = await stored(userCreated(user, 'Kim'), userUpdated(user, 2, 'Kim Minji'), userUpdated(user, 3, 'Minji'));

    const outcomes = await project(model, ...events.toReversed());

    expect(outcomes).toEqual(['applied', 'stale', 'stale']);
    expect(await documents(model)).toEqual([{ _id: user, role: 'customer', name: 'Minji', renames: 2, version: 3 }]);
  });

  it('given a creation applied, when the third event overtakes the second, then the document folds the second from the stream and the second is stale', async () => {
    const model = readModel();
    const user = randomUUID();
    const [created, renamed, renamedAgain] = await stored(userCreated(user, 'Kim'), userUpdated(user, 2, 'Kim Minji'), userUpdated(user, 3, 'Minji'));
    if (created === undefined || renamed === undefined || renamedAgain === undefined) throw new Error('three events were stored');

    const outcomes = await project(model, created, renamedAgain, renamed);

    expect(outcomes).toEqual(['applied', 'applied', 'stale']);
    expect(await documents(model)).toEqual([{ _id: user, role: 'customer', name: 'Minji', renames: 2, version: 3 }]);
  });

  it('given a stream with later events, when an update overtakes its creation, then the document stops at the update', async () => {
    const model = readModel();
    const user = randomUUID();
    const [, renamed] = await stored(userCreated(user, 'Kim'), userUpdated(user, 2, 'Kim Minji'), userUpdated(user, 3, 'Minji'));
    if (renamed === undefined) throw new Error('three events were stored');

    await project(model, renamed);

    expect(await documents(model)).toEqual([{ _id: user, role: 'customer', name: 'Kim Minji', renames: 1, version: 2 }]);
  });

  it('given a stream with an event the read model does not handle, when an update overtakes its creation, then the fold leaves that event out', async () => {
    const model = readModel();
    const user = randomUUID();
    const [created] = await stored(userCreated(user, 'Kim'));
    const passwordChanged = createEvent({
      eventType: 'UserPasswordChanged',
      eventId: randomUUID(),
      version: 2,
      occurredAt: new Date().toISOString(),
      correlationId: 'test',
      causationId: 'test',
      payload: { userId: user, via: 'change' },
    });
    await store.append(`user-${user}`, 1, [passwordChanged]);
    const [renamed] = await stored(userUpdated(user, 3, 'Kim Minji'));
    if (created === undefined || renamed === undefined) throw new Error('two events were stored');

    const outcomes = await project(model, renamed, created);

    expect(outcomes).toEqual(['applied', 'stale']);
    expect(await documents(model)).toEqual([{ _id: user, role: 'customer', name: 'Kim Minji', renames: 1, version: 3 }]);
  });

  it('given a creation stored in an older schema, when an update overtakes it, then the fold sees the creation upcast', async () => {
    const model = readModel();
    const user = randomUUID();
    // UserCreated v1 had no role and a createdAt of its own, as a row written before v2 still holds it.
    await database.pool.query(
      `insert into events (stream_id, version, event_id, event_type, aggregate_type, aggregate_id, schema_version,
                           correlation_id, causation_id, occurred_at, payload, topic)
       values ($1, 1, $2, 'UserCreated', 'User', $3, 1, 'test', 'test', now(), $4, 'user.profile.created')`,
      [`user-${user}`, randomUUID(), user, { userId: user, email: 'v1@example.com', name: 'Kim', createdAt: new Date().toISOString() }],
    );
    const [renamed] = await stored(userUpdated(user, 2, 'Kim Minji'));
    if (renamed === undefined) throw new Error('one event was stored');

    expect(await project(model, renamed)).toEqual(['applied']);
    expect(await documents(model)).toEqual([{ _id: user, role: 'customer', name: 'Kim Minji', renames: 1, version: 2 }]);
  });

  it('given an update the event store does not hold, when it arrives before its creation, then it is still a retriable gap', async () => {
    const model = readModel();

    const early = project(model, userUpdated(randomUUID(), 2, 'Elsewhere'));

    await expect(early).rejects.toBeInstanceOf(ProjectionGapError);
    await expect(early.catch((error: unknown) => classifyError(error))).resolves.toMatchObject({ retriable: true });
    expect(await documents(model)).toEqual([]);
  });

  it('given events only the handler transaction can see, when an update overtakes its creation, then the catch-up reads them on that transaction', async () => {
    const model = readModel();
    const user = randomUUID();
    const created = userCreated(user, 'Kim');
    const renamed = userUpdated(user, 2, 'Kim Minji');

    // Uncommitted, so a read on any other connection (and its other timeouts) would find no stream.
    const outcome = await withTransaction(database.pool, async (tx) => {
      await store.append(`user-${user}`, 0, [created, renamed], { tx });
      return model.project(renamed, { tx });
    });

    expect(outcome).toBe('applied');
    expect(await documents(model)).toEqual([{ _id: user, role: 'customer', name: 'Kim Minji', renames: 1, version: 2 }]);
  });
});
