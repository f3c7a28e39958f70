import { randomUUID } from 'node:crypto';
import { deadLetterTopicFor, eventTopics, topicsConsumedBy } from '@msa/contracts';
import { createTestDatabase, createTestMongoDatabase, createTestTopics, localServers } from '@msa/local';
import {
  createEventStore,
  createKafka,
  createLogger,
  createService,
  createPool,
  createTokenIssuer,
  type EventStore,
  generateSigningKey,
  loadConfig,
  type Logger,
  type Principal,
  type Service,
  toVerificationJwk,
} from '@msa/platform';
import type { Db } from 'mongodb';
import type pg from 'pg';
import request from 'supertest';
import { productService } from '../../src/app.js';
import { type ProductConfig, productConfigSchema } from '../../src/config.js';
import { SERVER_TEST_TIMEOUT_MS } from './timeout.js';

export { eventually } from '@msa/local';
export { SERVER_TEST_TIMEOUT_MS };

/** A product service built in-process against the local servers, with a database, topics and group of its own. */
export interface TestService {
  readonly app: Service;
  readonly config: ProductConfig;
  /** The suffix of this service's topics and groups (`createService`'s `namespace`). */
  readonly namespace: string;
  /** The read models' database, for assertions. */
  readonly mongo: Db;
  /** The service's event store and its database, for assertions. */
  readonly store: EventStore;
  readonly pool: pg.Pool;
  readonly logger: Logger;
  /** A supertest client of the service's HTTP API. */
  api(): ReturnType<typeof request>;
  /**
   * An `Authorization` header for `roles`, signed as the user service signs its tokens: its issuer,
   * the platform's audience, a key the service's `JWT_PUBLIC_KEYS` lists.
   */
  bearer(roles: Principal['roles']): Promise<string>;
  close(): Promise<void>;
}

/** Options for `startProductService`. */
export interface TestServiceOptions {
  /** Other variables of the service's environment, as strings. */
  readonly environment?: Readonly<Record<string, string>>;
}

const servers = localServers();

/** Topics the broker does not create by itself: each consumed topic and its DLT, named for this test. */
function testTopics(namespace: string): { topic: string; numPartitions: number }[] {
  return topicsConsumedBy('product.read-model').flatMap((name) => {
    const partitions = eventTopics.find((t) => t.name === name)?.partitions ?? 1;
    const topic = `${name}.${namespace}`;
    return [topic, deadLetterTopicFor(topic)].map((t) => ({ topic: t, numPartitions: partitions }));
  });
}

/** Starts the service as main.ts would, but in-process, with `LOG_LEVEL` from the environment (silent by default). */
export async function startProductService({ environment = {} }: TestServiceOptions = {}): Promise<TestService> {
  const namespace = randomUUID().replaceAll('-', '').slice(0, 12);
  const database = await createTestDatabase('product_service');
  const readModel = await createTestMongoDatabase('product_service');
  const key = await generateSigningKey({ kid: `user-${namespace}` });
  const config = loadConfig(productConfigSchema, {
    PORT: '0',
    DATABASE_URL: database.url,
    KAFKA_BROKERS: servers.kafkaBrokers.join(','),
    MONGO_URL: servers.mongoUrl,
    MONGO_DATABASE: readModel.name,
    JWT_PUBLIC_KEYS: JSON.stringify({ keys: [toVerificationJwk(key)] }),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    ...environment,
  });
  // The user service's issuer: the same signing code, its default issuer name, the shared audience.
  const tokens = await createTokenIssuer({ privateJwk: key, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, ttlMs: 600_000 });
  const logger = createLogger({ service: 'product', level: config.LOG_LEVEL });
  const admin = createKafka({ clientId: 'product-test', brokers: servers.kafkaBrokers, logger }).admin();
  await admin.connect();
  const topics = testTopics(namespace);
  await createTestTopics(admin, topics);
  const app = await createService(productService(), config, { logger, namespace });
  await app.start();

  const pool = createPool({ connectionString: database.url, applicationName: 'product-test', logger });
  return {
    app,
    config,
    namespace,
    mongo: readModel.db,
    store: createEventStore({ pool, logger }),
    pool,
    logger,
    api: () => request(app.http.app),
    async bearer(roles) {
      const { token } = await tokens.issue({ userId: randomUUID(), email: `${roles.join('-')}@example.com`, roles });
      return `Bearer ${token}`;
    },
    async close() {
      await app.stop();
      await pool.end();
      await readModel.drop();
      await admin.deleteTopics({ topics: topics.map((t) => t.topic) }).catch(() => undefined);
      await admin.disconnect();
      await database.drop();
    },
  };
}

/** The service a spec file shares, usable once its `beforeAll` has run; see `useProductService`. */
export type SharedTestService = Omit<TestService, 'close'>;

/**
 * Registers the spec file's `beforeAll`, which starts a product service with `options`, and its
 * `afterAll`, which closes it. Call it first inside `describe`, so its `beforeAll` runs before the
 * spec's own.
 */
export function useProductService(options: TestServiceOptions = {}): SharedTestService {
  let started: TestService | undefined;
  const ready = (): TestService => {
    if (started === undefined) throw new Error('the product service is used before its beforeAll has run');
    return started;
  };
  beforeAll(async () => {
    started = await startProductService(options);
  }, SERVER_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await started?.close();
  }, SERVER_TEST_TIMEOUT_MS);
  return {
    get app() {
      return ready().app;
    },
    get config() {
      return ready().config;
    },
    get namespace() {
      return ready().namespace;
    },
    get mongo() {
      return ready().mongo;
    },
    get store() {
      return ready().store;
    },
    get pool() {
      return ready().pool;
    },
    get logger() {
      return ready().logger;
    },
    api: () => ready().api(),
    bearer: (roles) => ready().bearer(roles),
  };
}
