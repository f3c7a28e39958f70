import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import net from 'node:net';
import { eventTopics, type ServiceName } from '@msa/contracts';
import { eventually, localServers, startSwitchableProxy, within, type SwitchableProxy } from '@msa/local';
import type { Principal } from '@msa/platform';
import { startTestService, type TestServiceHarnessOptions } from '@msa/platform/testing';
import type { Consumer, Kafka } from 'kafkajs';
import type request from 'supertest';
import type { Response, Test } from 'supertest';
import { inventoryService } from '../../../services/inventory/src/app.js';
import { inventoryConfigSchema } from '../../../services/inventory/src/config.js';
import { notificationService } from '../../../services/notification/src/app.js';
import { notificationConfigSchema } from '../../../services/notification/src/config.js';
import { orderService } from '../../../services/order/src/app.js';
import { orderConfigSchema } from '../../../services/order/src/config.js';
import { paymentService } from '../../../services/payment/src/app.js';
import { paymentConfigSchema } from '../../../services/payment/src/config.js';
import { productService } from '../../../services/product/src/app.js';
import { productConfigSchema } from '../../../services/product/src/config.js';
import { userService } from '../../../services/user/src/app.js';
import { userConfigSchema } from '../../../services/user/src/config.js';
import { notificationEnvironment } from '../support/platform.js';

/** Building, cutting and restoring one service's four dependencies, on a loaded machine. */
const SERVICE_TIMEOUT_MS = 120_000;
/** What a request may take while its dependency is down: the service's own bounds are far shorter (Mongo's is set to 1 s below). */
const DOWN_ANSWER_MS = 12_000;

type Dependency = 'postgres' | 'kafka' | 'mongo' | 'redis';
const DEPENDENCIES: readonly Dependency[] = ['postgres', 'kafka', 'mongo', 'redis'];

/** One service built in-process with a proxy of its own in front of each dependency. */
interface Built {
  readonly namespace: string;
  readonly kafka: Kafka;
  readonly api: () => ReturnType<typeof request>;
  readonly bearer: (principal: Principal) => Promise<string>;
  readonly close: () => Promise<void>;
}

/** A request, and the status it gets while every dependency is up. */
interface Call {
  readonly label: string;
  readonly send: (api: () => ReturnType<typeof request>, bearer: string) => Test;
  readonly up: number;
}

/** A write the service accepts while Kafka is down, and the id its event carries once published. */
interface AcceptedWrite {
  readonly label: string;
  readonly send: (api: () => ReturnType<typeof request>, bearer: string) => Promise<string>;
}

interface Subject {
  readonly name: ServiceName;
  readonly build: (options: TestServiceHarnessOptions) => Promise<Built>;
  /** Requests that need PostgreSQL: the writes (event store, outbox) and reads of the service's tables. */
  readonly postgres: readonly Call[];
  /** Requests that need the MongoDB-wire server: reads of the read models. */
  readonly mongo: readonly Call[];
  readonly accepted?: AcceptedWrite;
}

const servers = localServers();
const admin: Principal = { userId: randomUUID(), email: `admin-${randomUUID()}@e2e.example`, roles: ['customer', 'admin'] };

const signUp = (api: () => ReturnType<typeof request>) =>
  api().post('/api/users').send({ email: `down-${randomUUID()}@e2e.example`, password: 'correct horse battery staple', name: 'Dee Down' });
const restock = (productId: string) => (api: () => ReturnType<typeof request>, bearer: string) =>
  api().post(`/api/inventory/${productId}/restock`).set('authorization', bearer).send({ quantity: 1 });
const pushSubscription = () => ({
  endpoint: `https://push.e2e.example/${randomUUID()}`,
  keys: { p256dh: createECDH('prime256v1').generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') },
});

const SUBJECTS: readonly Subject[] = [
  {
    name: 'user',
    build: (options) => startTestService(userService({ scryptCost: { log2N: 10, r: 8, p: 1 } }), userConfigSchema, {}, options),
    postgres: [
      { label: 'POST /api/users', send: signUp, up: 201 },
      { label: 'GET /api/users/me', send: (api, bearer) => api().get('/api/users/me').set('authorization', bearer), up: 404 },
    ],
    mongo: [{ label: 'GET /api/users/me', send: (api, bearer) => api().get('/api/users/me').set('authorization', bearer), up: 404 }],
    accepted: { label: 'POST /api/users', send: async (api) => idOf(await signUp(api), 201) },
  },
  {
    name: 'product',
    build: (options) => startTestService(productService(), productConfigSchema, {}, options),
    postgres: [{ label: 'POST /api/categories', send: (api, bearer) => api().post('/api/categories').set('authorization', bearer).send({ name: `Down ${randomUUID()}` }), up: 201 }],
    mongo: [
      { label: 'GET /api/products/:id', send: (api) => api().get(`/api/products/${randomUUID()}`), up: 404 },
      { label: 'GET /api/categories', send: (api) => api().get('/api/categories'), up: 200 },
    ],
    accepted: {
      label: 'POST /api/categories',
      send: async (api, bearer) => idOf(await api().post('/api/categories').set('authorization', bearer).send({ name: `Queued ${randomUUID()}` }), 201),
    },
  },
  {
    name: 'inventory',
    build: (options) => startTestService(inventoryService(), inventoryConfigSchema, {}, options),
    // Stock is kept for products the catalog's events announced; these know none, which the service learns from its tables.
    postgres: [
      { label: 'POST /api/inventory/:productId/restock', send: restock(randomUUID()), up: 404 },
      { label: 'GET /api/inventory/:productId', send: (api, bearer) => api().get(`/api/inventory/${randomUUID()}`).set('authorization', bearer), up: 404 },
    ],
    mongo: [],
  },
  {
    name: 'order',
    build: (options) => startTestService(orderService(), orderConfigSchema, {}, options),
    postgres: [
      { label: 'POST /api/orders/:id/cancel', send: (api, bearer) => api().post(`/api/orders/${randomUUID()}/cancel`).set('authorization', bearer).send({}), up: 404 },
      { label: 'GET /api/orders/:id', send: (api, bearer) => api().get(`/api/orders/${randomUUID()}`).set('authorization', bearer), up: 404 },
    ],
    mongo: [{ label: 'GET /api/orders', send: (api, bearer) => api().get('/api/orders').set('authorization', bearer), up: 200 }],
  },
  {
    name: 'payment',
    build: (options) =>
      startTestService(paymentService(), paymentConfigSchema, { PAYMENT_GATEWAY: 'sandbox', PAYMENT_GATEWAY_TIMEOUT: '500ms' }, options),
    postgres: [{ label: 'POST /api/payments/:paymentId/retry', send: (api, bearer) => api().post(`/api/payments/${randomUUID()}/retry`).set('authorization', bearer).send({}), up: 409 }],
    mongo: [{ label: 'GET /api/payments', send: (api, bearer) => api().get(`/api/payments?orderId=${randomUUID()}`).set('authorization', bearer), up: 200 }],
  },
  {
    name: 'notification',
    build: (options) => startTestService(notificationService(), notificationConfigSchema, notificationEnvironment(admin.email), options),
    postgres: [
      {
        label: 'POST /api/notifications/push-subscriptions',
        send: (api, bearer) => api().post('/api/notifications/push-subscriptions').set('authorization', bearer).send(pushSubscription()),
        up: 201,
      },
    ],
    mongo: [{ label: 'GET /api/notifications', send: (api, bearer) => api().get('/api/notifications').set('authorization', bearer), up: 200 }],
  },
];

function idOf(res: Response, status: number): string {
  expect(res.status).toBe(status);
  return (res.body as { id: string }).id;
}

/** `host:port` of a server URL. */
const addressOf = (url: string): { host: string; port: number } => {
  const { hostname, port } = new URL(url);
  return { host: hostname, port: Number(port) };
};

/** The answer to a request whose dependency is down: a 503 problem naming it, with `Retry-After`, and nothing of the error. */
function expectUnavailable(res: Response, dependency: Dependency, proxy: SwitchableProxy): void {
  expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status: 503, body: { status: 503, dependency } });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.headers['retry-after']).toMatch(/^\d+$/);
  for (const internal of ['ECONNREFUSED', 'ECONNRESET', 'Error:', '    at ', String(proxy.port)]) expect(res.text).not.toContain(internal);
}

/** `/health/ready` while `dependency` is down: 503 naming it among the checks that are down. */
function expectNotReady(res: Response, dependency: Dependency): void {
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toMatch(/^\d+$/);
  const { checks } = res.body as { checks: { name: string; status: string }[] };
  const down = checks.filter(({ status }) => status === 'down').map(({ name }) => name);
  expect(down).toContain(dependency);
}

/** Resolves once `/health/ready` answers 200; rejects with its last answer otherwise, which names what is still down. */
async function ready(service: Built): Promise<void> {
  let last: unknown;
  await eventually(async () => {
    const res = await service.api().get('/health/ready');
    last = res.body;
    return res.status === 200 ? true : undefined;
  }).catch((error: unknown) => {
    throw new Error(`not ready again: ${JSON.stringify(last)}`, { cause: error });
  });
}

// Each service on a proxy of its own in front of each shared server: cutting one (refusing new
// connections, destroying open ones) takes that dependency away from that service only. Requests that
// need it are a 503 problem naming it, promptly; the others keep working; accepted work is published
// once Kafka is back; readiness says which is down and recovers.
describe.each(SUBJECTS)('the $name service with a dependency down', (subject) => {
  const proxies = {} as Record<Dependency, SwitchableProxy>;
  let service: Built;
  let bearer: string;

  beforeAll(async () => {
    const postgres = addressOf(servers.postgresUrl);
    const mongo = addressOf(servers.mongoUrl);
    const redis = addressOf(servers.redisUrl);
    const [kafkaHost = '127.0.0.1', kafkaPort = '0'] = (servers.kafkaBrokers[0] ?? '').split(':');
    proxies.postgres = await startSwitchableProxy(postgres.host, postgres.port);
    proxies.kafka = await startSwitchableProxy(kafkaHost, Number(kafkaPort));
    proxies.mongo = await startSwitchableProxy(mongo.host, mongo.port);
    proxies.redis = await startSwitchableProxy(redis.host, redis.port);
    service = await subject.build({
      postgresAddress: `127.0.0.1:${proxies.postgres.port}`,
      mongoUrl: `mongodb://127.0.0.1:${proxies.mongo.port}/`,
      // One local broker: whichever broker kafkajs asks for, it reaches it through the proxy.
      kafkaSocketFactory: ({ onConnect }) => net.connect({ host: '127.0.0.1', port: proxies.kafka.port }, onConnect),
      environment: { REDIS_URL: `redis://127.0.0.1:${proxies.redis.port}`, MONGO_TIMEOUT: '1s' },
    });
    bearer = await service.bearer(admin);
    await ready(service);
  }, SERVICE_TIMEOUT_MS);

  afterAll(async () => {
    // The proxies first: what still waits on a cut one fails at once, so the service can stop.
    for (const proxy of Object.values(proxies)) await proxy.close();
    // Unset when the build failed, though its type cannot say so.
    if ((service as Built | undefined) !== undefined) await service.close();
  }, SERVICE_TIMEOUT_MS);

  afterEach(async () => {
    for (const dependency of DEPENDENCIES) proxies[dependency].restore();
    await ready(service);
  }, SERVICE_TIMEOUT_MS);

  it('given PostgreSQL down, when its requests arrive, then each is a 503 naming postgres, readiness too, until it is back', async () => {
    proxies.postgres.cut();

    for (const call of subject.postgres) expectUnavailable(await within(DOWN_ANSWER_MS, call.send(service.api, bearer)), 'postgres', proxies.postgres);
    expectNotReady(await within(DOWN_ANSWER_MS, service.api().get('/health/ready')), 'postgres');

    proxies.postgres.restore();
    await ready(service);
    for (const call of subject.postgres) expect({ call: call.label, status: (await call.send(service.api, bearer)).status }).toEqual({ call: call.label, status: call.up });
  }, SERVICE_TIMEOUT_MS);

  it('given the MongoDB-wire server down, when a read model is read, then a 503 naming mongo, while PostgreSQL requests keep working', async () => {
    proxies.mongo.cut();

    for (const call of subject.mongo) expectUnavailable(await within(DOWN_ANSWER_MS, call.send(service.api, bearer)), 'mongo', proxies.mongo);
    for (const call of subject.postgres.filter(({ label }) => !subject.mongo.some((read) => read.label === label))) {
      expect({ call: call.label, status: (await within(DOWN_ANSWER_MS, call.send(service.api, bearer))).status }).toEqual({ call: call.label, status: call.up });
    }
    if (subject.mongo.length > 0) expectNotReady(await within(DOWN_ANSWER_MS, service.api().get('/health/ready')), 'mongo');

    proxies.mongo.restore();
    await ready(service);
    for (const call of subject.mongo) expect({ call: call.label, status: (await call.send(service.api, bearer)).status }).toEqual({ call: call.label, status: call.up });
  }, SERVICE_TIMEOUT_MS);

  it('given Redis down, when any request arrives, then it is answered as with Redis up, and readiness is degraded, not withheld', async () => {
    proxies.redis.cut();

    for (const call of [...subject.postgres, ...subject.mongo]) {
      expect({ call: call.label, status: (await within(DOWN_ANSWER_MS, call.send(service.api, bearer))).status }).toEqual({ call: call.label, status: call.up });
    }
    const readiness = await within(DOWN_ANSWER_MS, service.api().get('/health/ready'));
    expect(readiness.status).toBe(200);
    expect(readiness.body).toMatchObject({ status: 'degraded', checks: expect.arrayContaining([{ name: 'redis', status: 'down', optional: true, reason: expect.any(String) as unknown }]) as unknown });
  }, SERVICE_TIMEOUT_MS);

  it('given Kafka down, when a write arrives, then it is accepted, and its event is on its topic once Kafka is back', async () => {
    const topics = eventTopics.filter(({ producer }) => producer === subject.name).map(({ name }) => `${name}.${service.namespace}`);
    const published: string[] = [];
    const recorder: Consumer = service.kafka.consumer({ groupId: `dependency-down-recorder.${service.namespace}`, maxWaitTimeInMs: 100 });
    if (topics.length > 0) {
      await recorder.connect();
      await recorder.subscribe({ topics, fromBeginning: true });
      await recorder.run({
        eachMessage: ({ message }) => {
          published.push(message.value?.toString('utf8') ?? '');
          return Promise.resolve();
        },
      });
    }
    try {
      proxies.kafka.cut();

      const id = subject.accepted === undefined ? undefined : await within(DOWN_ANSWER_MS, subject.accepted.send(service.api, bearer));
      for (const call of [...subject.postgres, ...subject.mongo]) {
        expect({ call: call.label, status: (await within(DOWN_ANSWER_MS, call.send(service.api, bearer))).status }).toEqual({ call: call.label, status: call.up });
      }
      expectNotReady(await within(DOWN_ANSWER_MS, service.api().get('/health/ready')), 'kafka');

      proxies.kafka.restore();
      await ready(service);
      if (id !== undefined) await eventually(() => Promise.resolve(published.some((value) => value.includes(id)) ? true : undefined));
    } finally {
      await recorder.disconnect();
    }
  }, SERVICE_TIMEOUT_MS);
});
