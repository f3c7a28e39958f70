import { randomUUID } from 'node:crypto';
import { createEvent, deadLetterTopicFor, topicsConsumedBy, type EventOf } from '@msa/contracts';
import { createTestMongoDatabase, createTestTopics, eventually, localServers, startSwitchableProxy, type SwitchableProxy, type TestMongoDatabase } from '@msa/local';
import { Redis } from 'ioredis';
import type { Admin } from 'kafkajs';
import request from 'supertest';
import { z } from 'zod';
import {
  createKafka,
  createLogger,
  createService,
  createTokenIssuer,
  generateSigningKey,
  loadConfig,
  NO_STREAM,
  route,
  serviceVariables,
  toVerificationJwk,
  type CacheSource,
  type ReadModelDefinition,
  type Service,
  type ServiceDefinition,
  type ServiceKit,
  type SigningJwk,
} from '../../src/index.js';
import { createPooledDatabase, type PooledTestDatabase } from '../support/pooled-database.js';

const TIMEOUT_MS = 60_000;
const schema = z.object(serviceVariables({ port: 0, database: 'cached' }));
const GROUP = 'user.read-model';
const redisUrl = new URL(localServers().redisUrl);
const logger = createLogger({ service: 'cached', level: 'silent' });

interface NameDocument {
  readonly _id: string;
  readonly version: number;
  readonly name: string;
}

const names: ReadModelDefinition<NameDocument, EventOf<'UserCreated'>> = {
  name: 'names',
  handles: ['UserCreated'],
  evolve: (_document, event) => ({ name: event.payload.name }),
};

function userCreated(userId: string, name = 'Kim Minji'): EventOf<'UserCreated'> {
  return createEvent({
    eventType: 'UserCreated',
    eventId: randomUUID(),
    version: 1,
    occurredAt: new Date().toISOString(),
    correlationId: 'cached',
    causationId: 'cached',
    payload: { userId, email: `${userId.slice(0, 8)}@example.com`, name, role: 'customer' },
  });
}

/** What the hook saw for one event: whether the read model already had it when the hook ran. */
interface HookCall {
  readonly aggregateId: string;
  readonly projected: boolean;
}

/** A service with a cached read of the names read model, an after-projection hook that invalidates it, and a guarded route. */
function cachedService(calls: HookCall[], failFor: Set<string>, kits: ServiceKit[]): ServiceDefinition<typeof schema> {
  return {
    name: 'cached',
    version: '0.0.1',
    config: schema,
    readModels: { group: GROUP, definitions: [names] },
    build(kit) {
      kits.push(kit);
      const cached = kit.cache.family<{ name: string }>('names', { ttlSeconds: 60 });
      const readModel = kit.readModel(names);
      return {
        routes: [
          route(
            {
              method: 'get',
              path: '/names/:id',
              request: { params: z.object({ id: z.string() }) },
              responses: { 200: { description: 'A name', body: z.object({ name: z.string(), source: z.string() }) }, 404: { description: 'None' } },
            },
            async ({ params, reply }) => {
              const { value, source } = await cached.read(params.id, async () => {
                const document = await (await readModel.collection()).findOne({ _id: params.id });
                return document === null ? undefined : { name: document.name };
              });
              return value === undefined ? reply(404) : reply(200, { name: value.name, source });
            },
          ),
          route(
            { method: 'get', path: '/me', auth: kit.requireAuth(), responses: { 200: { description: 'Me', body: z.object({ userId: z.string() }) } } },
            ({ principal, reply }) => reply(200, { userId: principal.userId }),
          ),
        ],
        async afterProjected(event) {
          if (failFor.has(event.aggregateId)) throw new Error('the invalidation failed');
          const document = await (await readModel.collection()).findOne({ _id: event.aggregateId });
          calls.push({ aggregateId: event.aggregateId, projected: document !== null });
          await cached.invalidate(event.aggregateId);
        },
      };
    },
  };
}

describe('service kit with Redis: cache, after-projection hook, readiness and token revocations', () => {
  const namespace = randomUUID().replaceAll('-', '').slice(0, 12);
  const calls: HookCall[] = [];
  const failFor = new Set<string>();
  const kits: ServiceKit[] = [];
  let database: PooledTestDatabase;
  let mongo: TestMongoDatabase;
  let admin: Admin;
  let topics: string[];
  let proxy: SwitchableProxy;
  let key: SigningJwk;
  let service: Service;
  const kit = (): ServiceKit => {
    const [built] = kits;
    if (built === undefined) throw new Error('build was not called');
    return built;
  };
  const nameOf = (id: string) => request(service.http.app).get(`/names/${id}`);

  beforeAll(async () => {
    database = await createPooledDatabase('service_redis');
    mongo = await createTestMongoDatabase('service_redis');
    admin = createKafka({ clientId: 'redis-kit-test', brokers: localServers().kafkaBrokers, logger }).admin();
    await admin.connect();
    topics = topicsConsumedBy(GROUP).flatMap((topic) => [`${topic}.${namespace}`, deadLetterTopicFor(`${topic}.${namespace}`)]);
    await createTestTopics(admin, topics.map((topic) => ({ topic, numPartitions: 1 })));
    proxy = await startSwitchableProxy(redisUrl.hostname, Number(redisUrl.port));
    key = await generateSigningKey({ kid: `redis-${namespace}` });
    const config = loadConfig(schema, {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: localServers().kafkaBrokers.join(','),
      MONGO_URL: localServers().mongoUrl,
      MONGO_DATABASE: mongo.name,
      REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
      // Behaviour, not timing: on a busy machine a stalled event loop would trip the 50 ms default.
      REDIS_TIMEOUT: '1s',
      JWT_PUBLIC_KEYS: JSON.stringify({ keys: [toVerificationJwk(key)] }),
    });
    service = await createService(cachedService(calls, failFor, kits), config, { logger, namespace });
    await service.start();
  }, TIMEOUT_MS);

  afterAll(async () => {
    await service.stop();
    await proxy.close();
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.deleteGroups([`${GROUP}.${namespace}`]).catch(() => undefined);
    await admin.disconnect();
    await mongo.drop();
    await database.drop();
  }, TIMEOUT_MS);

  it('given a started service that uses the cache, when readiness is asked, then Redis is checked as optional and up', async () => {
    const ready = await request(service.http.app).get('/health/ready');

    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready' });
    expect((ready.body as { checks: unknown[] }).checks).toContainEqual({ name: 'redis', status: 'up', optional: true });
  });

  it('given a cached absence, when the event creating the document is projected, then the hook runs after the write and the next read loads the new document', async () => {
    const userId = randomUUID();
    expect((await nameOf(userId)).status).toBe(404);
    expect((await nameOf(userId)).status).toBe(404);

    await kit().store.append(`user-${userId}`, NO_STREAM, [userCreated(userId)]);

    await eventually(() => Promise.resolve(calls.find((call) => call.aggregateId === userId)));
    expect(calls.find((call) => call.aggregateId === userId)).toEqual({ aggregateId: userId, projected: true });
    const read = await nameOf(userId);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ name: 'Kim Minji', source: 'miss' satisfies CacheSource });
    expect((await nameOf(userId)).body).toEqual({ name: 'Kim Minji', source: 'hit' });
  }, TIMEOUT_MS);

  it('given an event the read model had already applied (a redelivery after a crash), when it is projected, then the hook still runs', async () => {
    const userId = randomUUID();
    // What a crash between the MongoDB write and the consumer's commit leaves: the document, at the event's version.
    await mongo.db.collection<NameDocument>('names').insertOne({ _id: userId, version: 1, name: 'Kim Minji' });

    await kit().store.append(`user-${userId}`, NO_STREAM, [userCreated(userId)]);

    const call = await eventually(() => Promise.resolve(calls.find((seen) => seen.aggregateId === userId)));
    expect(call).toEqual({ aggregateId: userId, projected: true });
  }, TIMEOUT_MS);

  it('given a hook that fails for one event, when it and a later event are projected, then both are in the read model', async () => {
    const failing = randomUUID();
    const later = randomUUID();
    failFor.add(failing);

    await kit().store.append(`user-${failing}`, NO_STREAM, [userCreated(failing, 'Failing Hook')]);
    await kit().store.append(`user-${later}`, NO_STREAM, [userCreated(later, 'Later Event')]);

    await eventually(() => Promise.resolve(calls.find((call) => call.aggregateId === later)));
    const collection = mongo.db.collection<NameDocument>('names');
    expect(await collection.findOne({ _id: failing })).toMatchObject({ name: 'Failing Hook' });
  }, TIMEOUT_MS);

  it('given a user’s tokens revoked through the kit, when a token issued before calls a guarded route, then 401, and one issued after is admitted', async () => {
    const issuer = (at: number) => createTokenIssuer({ privateJwk: key, issuer: 'msa-ecommerce/user', audience: 'msa-ecommerce', ttlMs: 60_000, now: () => new Date(at) });
    const userId = randomUUID();
    const principal = { userId, email: 'kim@example.com', roles: ['customer'] as const };
    const changedAt = Date.now();
    const before = await (await issuer(changedAt - 10)).issue(principal);
    const after = await (await issuer(changedAt + 10)).issue(principal);

    await kit().tokenRevocations.revokeIssuedBefore(userId, new Date(changedAt));

    const refused = await request(service.http.app).get('/me').set('authorization', `Bearer ${before.token}`);
    const admitted = await request(service.http.app).get('/me').set('authorization', `Bearer ${after.token}`);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ detail: 'the token has been revoked' });
    expect(admitted.status).toBe(200);
    // Not the service's key: every service of the namespace reads the one the user service writes.
    const direct = new Redis(redisUrl.href, { lazyConnect: true });
    await direct.connect();
    expect(await direct.get(`msa:${namespace}:auth:tokens-valid-after:${userId}`)).toBe(String(changedAt));
    direct.disconnect();
  }, TIMEOUT_MS);

  it('given Redis goes away, when readiness is asked and names are read, then the service is degraded but answers uncached, and ready again once Redis is back', async () => {
    const userId = randomUUID();
    await kit().store.append(`user-${userId}`, NO_STREAM, [userCreated(userId)]);
    await eventually(() => Promise.resolve(calls.find((call) => call.aggregateId === userId)));

    proxy.cut();
    const degraded = await eventually(async () => {
      const ready = await request(service.http.app).get('/health/ready');
      return (ready.body as { status?: string }).status === 'degraded' ? ready : undefined;
    });
    const uncached = await nameOf(userId);
    proxy.restore();
    const recovered = await eventually(async () => {
      const ready = await request(service.http.app).get('/health/ready');
      return (ready.body as { status?: string }).status === 'ready' ? ready : undefined;
    });

    expect(degraded.status).toBe(200);
    expect((degraded.body as { checks: unknown[] }).checks).toContainEqual(expect.objectContaining({ name: 'redis', status: 'down', optional: true }));
    expect(uncached.body).toEqual({ name: 'Kim Minji', source: 'bypass' });
    expect(recovered.status).toBe(200);
  }, TIMEOUT_MS);
});

describe('service kit with Redis down at start', () => {
  let database: PooledTestDatabase;
  let proxy: SwitchableProxy;
  let service: Service;

  beforeAll(async () => {
    database = await createPooledDatabase('service_redis_down');
    proxy = await startSwitchableProxy(redisUrl.hostname, Number(redisUrl.port));
  }, TIMEOUT_MS);
  afterAll(async () => {
    await service.stop();
    await proxy.close();
    await database.drop();
  }, TIMEOUT_MS);

  it('given Redis is unreachable, when the service starts, then it starts degraded and becomes ready once Redis answers', async () => {
    const key = await generateSigningKey({ kid: 'redis-down' });
    const config = loadConfig(schema, {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: localServers().kafkaBrokers.join(','),
      MONGO_URL: localServers().mongoUrl,
      REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
      // Behaviour, not timing: on a busy machine a stalled event loop would trip the 50 ms default.
      REDIS_TIMEOUT: '1s',
      JWT_PUBLIC_KEYS: JSON.stringify({ keys: [toVerificationJwk(key)] }),
    });
    const definition: ServiceDefinition<typeof schema> = {
      name: 'cached-down',
      version: '0.0.1',
      config: schema,
      build: ({ cache }) => {
        cache.family('anything', { ttlSeconds: 1 });
        return { routes: [] };
      },
    };
    proxy.cut();
    service = await createService(definition, config, { logger });

    await service.start();
    const degraded = await request(service.http.app).get('/health/ready');
    proxy.restore();
    const ready = await eventually(async () => {
      const answer = await request(service.http.app).get('/health/ready');
      return (answer.body as { status?: string }).status === 'ready' ? answer : undefined;
    });

    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({ status: 'degraded' });
    expect(ready.body).toEqual({ status: 'ready', checks: [{ name: 'postgres', status: 'up' }, { name: 'kafka', status: 'up' }, { name: 'redis', status: 'up', optional: true }] });
  }, TIMEOUT_MS);
});
