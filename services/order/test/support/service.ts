import { randomUUID } from 'node:crypto';
import { type DomainEvent, eventTopics, parseEvent, topicFor } from '@msa/contracts';
import { createService, type EventStore, type Logger, type Principal, type Service } from '@msa/platform';
import { startTestService } from '@msa/platform/testing';
import type { Consumer, Producer } from 'kafkajs';
import type { Db } from 'mongodb';
import type pg from 'pg';
import supertest from 'supertest';
import { orderService } from '../../src/app.js';
import { type OrderConfig, orderConfigSchema } from '../../src/config.js';
import { SERVER_TEST_TIMEOUT_MS } from './timeout.js';

export { eventually } from '@msa/local';
export { SERVER_TEST_TIMEOUT_MS };

/** The catalog topics the order service publishes to. */
const ORDER_TOPICS = eventTopics.filter(({ producer }) => producer === 'order').map(({ name }) => name);

/** An order service built in-process against the local servers, with a database, topics and groups of its own. */
export interface TestOrderService {
  readonly config: OrderConfig;
  readonly namespace: string;
  readonly pool: pg.Pool;
  readonly store: EventStore;
  readonly mongo: Db;
  readonly logger: Logger;
  /** The service running now: the first one, or the one `restart` started. */
  readonly app: () => Service;
  /** Publishes `event` where its producer's outbox would, keyed by its aggregate, with `headers` (a `traceparent`, say). */
  publish(event: DomainEvent, headers?: Readonly<Record<string, string>>): Promise<void>;
  /** Every event the service has published to its topics so far, in arrival order. */
  published(): readonly DomainEvent[];
  /** Stops the service, then starts another one on the same database, topics and groups. */
  restart(): Promise<void>;
  /** Starts another replica of the service on the same database, topics and groups; `close` stops it too. */
  startReplica(): Promise<Service>;
  /** Stops the service without starting another; `restart` starts one. */
  stop(): Promise<void>;
  bearer(principal: Principal): Promise<string>;
  /** A supertest client of the running service's HTTP API. */
  api(): ReturnType<typeof supertest>;
  close(): Promise<void>;
}

/** Starts the service as main.ts would, in-process, and a consumer recording what it publishes. */
export async function startOrderService(environment: Readonly<Record<string, string>> = {}): Promise<TestOrderService> {
  const harness = await startTestService(orderService(), orderConfigSchema, { ORDER_DEADLINE_POLL_INTERVAL: '100ms' }, { environment });
  const { namespace, kafka, config, logger } = harness;
  const producer: Producer = kafka.producer();
  const recorder: Consumer = kafka.consumer({ groupId: `order-spec-recorder.${namespace}`, maxWaitTimeInMs: 50 });
  const recorded: DomainEvent[] = [];
  await Promise.all([producer.connect(), recorder.connect()]);
  await recorder.subscribe({ topics: ORDER_TOPICS.map((topic) => `${topic}.${namespace}`), fromBeginning: true });
  const joined = new Promise<void>((resolve) => {
    recorder.on(recorder.events.GROUP_JOIN, () => {
      resolve();
    });
  });
  await recorder.run({
    eachMessage: ({ message }) => {
      const parsed = parseEvent(JSON.parse(message.value?.toString() ?? 'null') as unknown);
      if (parsed.success) recorded.push(parsed.data);
      return Promise.resolve();
    },
  });
  await joined;

  let current: Service = harness.service;
  let client = harness.api;
  const replicas: Service[] = [];
  return {
    config,
    namespace,
    pool: harness.pool,
    store: harness.store,
    mongo: harness.mongo.db,
    logger,
    app: () => current,
    async publish(event, headers = {}) {
      await producer.send({ topic: `${topicFor(event)}.${namespace}`, messages: [{ key: event.aggregateId, value: JSON.stringify(event), headers }] });
    },
    published: () => recorded,
    async stop() {
      await current.stop();
    },
    async startReplica() {
      const replica = await createService(orderService(), config, { logger, namespace });
      replicas.push(replica);
      await replica.start();
      return replica;
    },
    async restart() {
      await current.stop();
      current = await createService(orderService(), config, { logger, namespace });
      await current.start();
      const started = current;
      client = () => supertest(started.http.app);
    },
    bearer: harness.bearer,
    api: () => client(),
    async close() {
      await Promise.allSettled([recorder.disconnect(), producer.disconnect()]);
      await Promise.all([current.stop(), ...replicas.map((replica) => replica.stop())]);
      await harness.close();
    },
  };
}

/** The service a spec file shares, usable once its `beforeAll` has run. */
export function useOrderService(environment: Readonly<Record<string, string>> = {}): TestOrderService {
  let started: TestOrderService | undefined;
  const ready = (): TestOrderService => {
    if (started === undefined) throw new Error('the order service is used before its beforeAll has run');
    return started;
  };
  beforeAll(async () => {
    started = await startOrderService(environment);
  }, SERVER_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await started?.close();
  }, SERVER_TEST_TIMEOUT_MS);
  return {
    get config() {
      return ready().config;
    },
    get namespace() {
      return ready().namespace;
    },
    get pool() {
      return ready().pool;
    },
    get store() {
      return ready().store;
    },
    get mongo() {
      return ready().mongo;
    },
    get logger() {
      return ready().logger;
    },
    app: () => ready().app(),
    publish: (event, headers) => ready().publish(event, headers),
    published: () => ready().published(),
    restart: () => ready().restart(),
    startReplica: () => ready().startReplica(),
    stop: () => ready().stop(),
    bearer: (principal) => ready().bearer(principal),
    api: () => ready().api(),
    close: () => ready().close(),
  };
}

/** A customer of its own for each test. */
export function newCustomer(): Principal {
  const userId = randomUUID();
  return { userId, email: `${userId.slice(0, 8)}@example.com`, roles: ['customer'] };
}
