import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { EventOf } from '@msa/contracts';
import { createTestMongoDatabase, localServers, startStallingProxy, type StallingProxy, type TestMongoDatabase } from '@msa/local';
import type { MongoClient } from 'mongodb';
import { classifyError } from '../../src/consumer/index.js';
import { createMongoClient } from '../../src/mongo/index.js';
import { withTransaction } from '../../src/postgres/transaction.js';
import { mongoReadModel, ReadModelUnavailableError, type MongoReadModel, type VersionedDocument } from '../../src/projection/index.js';
import { unique, userCreated, userUpdated } from '../consumer/fixture.js';
import { createPooledDatabase, type PooledTestDatabase } from '../support/pooled-database.js';

type UserEvent = EventOf<'UserCreated'> | EventOf<'UserUpdated'>;

interface Profile extends VersionedDocument {
  readonly name: string;
}

const TIMEOUT_MS = 500;
/** Generous beside the bound, and far below what a call without one would wait (forever). */
const WITHIN_MS = 4 * TIMEOUT_MS;

describe('read model on a MongoDB client whose server stalls', () => {
  let proxy: StallingProxy;
  let client: MongoClient;
  let database: PooledTestDatabase;
  let cleanup: TestMongoDatabase;
  let model: MongoReadModel<Profile, UserEvent>;
  const user = randomUUID();

  beforeAll(async () => {
    const server = new URL(localServers().mongoUrl);
    proxy = await startStallingProxy(server.hostname, Number(server.port));
    cleanup = await createTestMongoDatabase('mongo_stall');
    client = createMongoClient(`mongodb://127.0.0.1:${proxy.port}/`, { appName: 'mongo-stall-test', timeoutMs: TIMEOUT_MS });
    await client.connect();
    database = await createPooledDatabase('mongo_stall');
    model = mongoReadModel<Profile, UserEvent>(client.db(cleanup.name), {
      name: unique('profiles', '_'),
      handles: ['UserCreated', 'UserUpdated'],
      evolve: (profile, event) =>
        event.eventType === 'UserCreated' ? { name: event.payload.name } : profile && { name: event.payload.name ?? profile.name },
    });
    await withTransaction(database.pool, (tx) => model.project(userCreated(user, 'Before'), { tx }));
    proxy.freeze();
  }, 60_000);
  afterAll(async () => {
    // Closing the proxy ends the stalled connections, so the client closes at once.
    await proxy.close();
    await client.close();
    await cleanup.drop();
    await database.drop();
  }, 60_000);

  /** How `work` failed, and how long it took to. */
  async function failure(work: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
    const started = performance.now();
    try {
      await work();
    } catch (error) {
      return { error, ms: performance.now() - started };
    }
    throw new Error('the call succeeded against a stalled server');
  }

  it('given a stalled server, when an event is projected, then it fails within the bound with a retriable error naming the read model', async () => {
    const { error, ms } = await failure(() =>
      withTransaction(database.pool, (tx) => model.project(userUpdated(user, 2, 'After'), { tx })),
    );

    expect(error).toBeInstanceOf(ReadModelUnavailableError);
    expect((error as Error).message).toMatch(/^read model profiles_\w+: MongoDB did not answer while projecting UserUpdated .* version 2: .*timed out/i);
    expect(classifyError(error).retriable).toBe(true);
    expect(ms).toBeLessThan(WITHIN_MS);
  });

  it('given a stalled server, when the read model is read, then the read fails within the bound', async () => {
    const { error, ms } = await failure(async () => (await model.collection()).findOne({ _id: user }));

    expect((error as Error).message).toMatch(/timed out/i);
    expect(ms).toBeLessThan(WITHIN_MS);
  });
});
