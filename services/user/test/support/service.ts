import { randomUUID } from 'node:crypto';
import { type ConsumerGroup, deadLetterTopicFor, eventTopics } from '@msa/contracts';
import { createTestDatabase, createTestMongoDatabase, createTestTopics, localServers } from '@msa/local';

export { eventually } from '@msa/local';
import {
  createEventStore,
  createKafka,
  createLogger,
  createPool,
  createService,
  type EventStore,
  generateSigningKey,
  loadConfig,
  type Logger,
  type Service,
  toVerificationJwk,
} from '@msa/platform';
import type { Db } from 'mongodb';
import type pg from 'pg';
import request from 'supertest';
import { userService } from '../../src/app.js';
import { type UserConfig, userConfigSchema } from '../../src/config.js';
import { SERVER_TEST_TIMEOUT_MS } from './timeout.js';

export { SERVER_TEST_TIMEOUT_MS };

/** The password every spec registers its users with. */
export const PASSWORD = 'correct horse battery staple';

/** A user service built in-process against the local servers, with a database, topics and group of its own. */
export interface TestService {
  readonly app: Service;
  /** The suffix of its topics and groups, and of its keys in Redis: another service built in the spec shares it to see its revocations. */
  readonly namespace: string;
  readonly config: UserConfig;
  /** The read model's database, for assertions. */
  readonly mongo: Db;
  /** The service's event store and its database, for assertions. */
  readonly store: EventStore;
  readonly pool: pg.Pool;
  readonly logger: Logger;
  /** A supertest client of the service's HTTP API. */
  api(): ReturnType<typeof request>;
  /**
   * Registers `email` as `name` (by default the address's local part) with `PASSWORD`, expecting a
   * 201, and logs in: the access token.
   */
  registerAndLogIn(email: string, name?: string): Promise<string>;
  close(): Promise<void>;
}

/** Options for `startUserService`. */
export interface TestServiceOptions {
  readonly adminEmails?: readonly string[];
  /** The read model's server, when not the local one (a proxy in front of it, say). */
  readonly mongoUrl?: string;
  /** Other variables of the service's environment, as strings. */
  readonly environment?: Readonly<Record<string, string>>;
}

const servers = localServers();

/** The service's consumer groups: its read model's and its sessions'. */
const USER_GROUPS: readonly ConsumerGroup[] = ['user.read-model', 'user.sessions'];

/**
 * Topics the broker does not create by itself, named for this test: every topic the service
 * publishes to (the relay cannot publish to a missing one) and the DLT of each it consumes.
 */
function testTopics(namespace: string): { topic: string; numPartitions: number }[] {
  return eventTopics
    .filter((definition) => definition.producer === 'user')
    .flatMap(({ name, partitions, consumers }) => {
      const topic = `${name}.${namespace}`;
      const consumedHere = consumers.some((group) => USER_GROUPS.includes(group));
      return (consumedHere ? [topic, deadLetterTopicFor(topic)] : [topic]).map((t) => ({ topic: t, numPartitions: partitions }));
    });
}

/** Starts the service as main.ts would, but in-process, with `LOG_LEVEL` from the environment (silent by default). */
export async function startUserService({
  adminEmails = [],
  mongoUrl = servers.mongoUrl,
  environment = {},
}: TestServiceOptions = {}): Promise<TestService> {
  const namespace = randomUUID().replaceAll('-', '').slice(0, 12);
  const database = await createTestDatabase('user_service');
  const readModel = await createTestMongoDatabase('user_service');
  const key = await generateSigningKey({ kid: `test-${namespace}` });
  const config = loadConfig(userConfigSchema, {
    PORT: '0',
    DATABASE_URL: database.url,
    KAFKA_BROKERS: servers.kafkaBrokers.join(','),
    MONGO_URL: mongoUrl,
    MONGO_DATABASE: readModel.name,
    JWT_PRIVATE_KEY: JSON.stringify(key),
    JWT_PUBLIC_KEYS: JSON.stringify({ keys: [toVerificationJwk(key)] }),
    ADMIN_EMAILS: adminEmails.join(','),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    ...environment,
  });
  const logger = createLogger({ service: 'user', level: config.LOG_LEVEL });
  const admin = createKafka({ clientId: 'user-test', brokers: servers.kafkaBrokers, logger }).admin();
  await admin.connect();
  const topics = testTopics(namespace);
  await createTestTopics(admin, topics);
  const app = await createService(userService(), config, { logger, namespace });
  await app.start();

  const pool = createPool({ connectionString: database.url, applicationName: 'user-test', logger });
  const api = () => request(app.http.app);
  return {
    app,
    namespace,
    config,
    mongo: readModel.db,
    store: createEventStore({ pool, logger }),
    pool,
    logger,
    api,
    async registerAndLogIn(email, name = email.slice(0, email.indexOf('@'))) {
      expect((await api().post('/api/users').send({ email, password: PASSWORD, name })).status).toBe(201);
      const login = await api().post('/api/users/login').send({ email, password: PASSWORD });
      return (login.body as { accessToken: string }).accessToken;
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

/** The service a spec file shares, usable once its `beforeAll` has run; see `useUserService`. */
export type SharedTestService = Omit<TestService, 'close'>;

/**
 * Registers the spec file's `beforeAll`, which starts a user service with `options`, and its
 * `afterAll`, which closes it. Call it first inside `describe`, so its `beforeAll` runs before the
 * spec's own.
 */
export function useUserService(options: TestServiceOptions = {}): SharedTestService {
  let started: TestService | undefined;
  const ready = (): TestService => {
    if (started === undefined) throw new Error('the user service is used before its beforeAll has run');
    return started;
  };
  beforeAll(async () => {
    started = await startUserService(options);
  }, SERVER_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await started?.close();
  }, SERVER_TEST_TIMEOUT_MS);
  return {
    get app() {
      return ready().app;
    },
    get namespace() {
      return ready().namespace;
    },
    get config() {
      return ready().config;
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
    registerAndLogIn: (email, name) => ready().registerAndLogIn(email, name),
  };
}

