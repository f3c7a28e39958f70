import { topicsConsumedBy, type DomainEvent } from '@msa/contracts';
import type { ISocketFactory } from 'kafkajs';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  createConsumerRunner,
  inboxPruningFrom,
  type ConsumerRunner,
  type EventHandler,
  type EventHandlers,
} from '../consumer/index.js';
import { ConfigError } from '../config/config-error.js';
import { createEventStore } from '../event-store/event-store.js';
import { eventStoreMigrations } from '../event-store/schema.js';
import { createHttpApp, type HttpApp } from '../http/app.js';
import { requireAuth } from '../http/auth/require-auth.js';
import type { ReadinessCheck } from '../http/health.js';
import { createKafka } from '../kafka/client.js';
import { mongoClientFrom } from '../mongo/env.js';
import { outboxRelayOptionsFrom } from '../outbox/config.js';
import { createNaivePublisher } from '../outbox/naive-publisher.js';
import { createOutboxRelay } from '../outbox/relay.js';
import { outboxMigrations } from '../outbox/schema.js';
import { migrate } from '../postgres/migrate.js';
import { createPool } from '../postgres/pool.js';
import { mongoReadModel } from '../projection/mongo-read-model.js';
import { eventStoreHistory, type StreamHistory } from '../projection/stream-history.js';
import { createLogger } from '../telemetry/logger.js';
import { createPlatformMetrics, type PlatformMetrics } from '../telemetry/metrics.js';
import { runAfterProjected, type AfterProjected } from './after-projected.js';
import type { AnyReadModel, ServiceConfigSchema, ServiceConsumer, ServiceDefinition, ServiceKit } from './definition.js';
import { kitRedis } from './kit-redis.js';

/** Options for `createService`. */
export interface CreateServiceOptions {
  /** @default a root logger named after the service, at `LOG_LEVEL` */
  readonly logger?: Logger;
  /** @default fresh platform metrics */
  readonly metrics?: PlatformMetrics;
  /**
   * Suffixes every Kafka topic and consumer group with `.<namespace>`, so tests sharing one broker
   * stay apart. Unset in production, where the catalog names are used as they are.
   */
  readonly namespace?: string;
  /**
   * Opens the service's broker connections. Kafka hands out its brokers' advertised addresses, so a
   * proxy given as `KAFKA_BROKERS` would see only the first connection; a test that cuts the broker
   * for one service routes every connection through its proxy with this. Unset in production.
   */
  readonly kafkaSocketFactory?: ISocketFactory;
}

/** A service assembled by the kit: its HTTP app, and the background parts `start` runs and `stop` ends. */
export interface Service {
  readonly http: HttpApp;
  /**
   * Runs the migrations, connects MongoDB and creates the read models' indexes, connects Redis if the
   * service uses it (a Redis that is down does not stop start-up), starts the outbox relay, the
   * consumers and the workers.
   */
  start(): Promise<void>;
  /**
   * Stops the workers, then the consumers, then the relay, then closes Redis, MongoDB and the pool; safe after a failed
   * `start`, and later calls share the first.
   */
  stop(): Promise<void>;
}

/** A broker on this machine: `127.0.0.1`, `localhost` or `[::1]`, any port. */
const LOOPBACK = /^(?:127\.0\.0\.1|localhost|\[::1\]):\d+$/;

/**
 * Builds a service from its definition and loaded configuration: pool, Kafka client, event store,
 * outbox relay, a consumer for its read models and one per group of its own, readiness checks on all
 * of them, and its HTTP app. Nothing connects until `start`. `runService` serves it; tests build it
 * in-process with this.
 */
export async function createService<S extends ServiceConfigSchema>(
  definition: ServiceDefinition<S>,
  config: z.output<S>,
  { logger = createLogger({ service: definition.name, level: config.LOG_LEVEL }), metrics = createPlatformMetrics(), namespace, kafkaSocketFactory }: CreateServiceOptions = {},
): Promise<Service> {
  const { name } = definition;
  const client = `${name}-service`;
  const named = (topicOrGroup: string) => (namespace === undefined ? topicOrGroup : `${topicOrGroup}.${namespace}`);
  const pool = createPool({ connectionString: config.DATABASE_URL.reveal(), applicationName: client, logger });
  const kafka = createKafka({ clientId: client, brokers: config.KAFKA_BROKERS, logger, socketFactory: kafkaSocketFactory });
  if (config.NAIVE_DUAL_WRITE && !config.KAFKA_BROKERS.every((broker) => LOOPBACK.test(broker))) {
    throw new ConfigError([{ variable: 'NAIVE_DUAL_WRITE', message: 'the control build runs only against loopback brokers (127.0.0.1, localhost, [::1])' }]);
  }
  const naive = config.NAIVE_DUAL_WRITE ? createNaivePublisher({ pool, kafka, logger, resolveTopic: named }) : undefined;
  const store = createEventStore({ pool, logger, ...(naive === undefined ? {} : { onCommitted: naive.publish }) });
  const readModels = definition.readModels?.definitions ?? [];
  const mongo = readModels.length > 0 || definition.mongo === true ? mongoClientFrom(config, client) : undefined;
  const db = mongo?.db(config.MONGO_DATABASE);
  const { JWT_PUBLIC_KEYS: keys, JWT_ISSUER: issuer, JWT_AUDIENCE: audience } = config;
  const redis = kitRedis({
    service: name,
    url: config.REDIS_URL?.reveal(),
    commandTimeoutMs: config.REDIS_TIMEOUT,
    cacheOff: config.READ_CACHE_OFF,
    namespace,
    logger,
    registry: metrics.registry,
  });

  const kit: ServiceKit<z.output<S>> = {
    name,
    config,
    logger,
    metrics,
    pool,
    store,
    kafka,
    get mongo(): Db {
      if (db === undefined) throw new Error(`service ${name} uses MongoDB: declare its read models, or set mongo: true`);
      return db;
    },
    readModel: (readModel) => mongoReadModel(kit.mongo, readModel),
    requireAuth: (roles = []) => {
      const revocations = redis.revocationCheck();
      return requireAuth({ keys, issuer, audience, roles, ...(revocations === undefined ? {} : { revocations }) });
    },
    get cache() {
      return redis.cache;
    },
    get tokenRevocations() {
      return redis.tokenRevocations;
    },
    named,
  };
  const parts = await definition.build(kit);

  // The default relay name, so a standalone platform relay on this database (also `default`) shares
  // the leadership and the checkpoint instead of publishing everything a second time.
  const relay = createOutboxRelay({ pool, kafka, logger, metrics, resolveTopic: named, ...outboxRelayOptionsFrom(config) });
  const groups: ServiceConsumer[] = [...parts.consumers ?? []];
  if (definition.readModels !== undefined && db !== undefined) {
    const afterProjected = parts.afterProjected;
    const hook = afterProjected === undefined ? undefined : { run: afterProjected, logger: logger.child({ component: 'after-projected' }) };
    groups.unshift({ group: definition.readModels.group, handlers: projectingHandlers(db, readModels, eventStoreHistory(store), hook) });
  }
  const consumers: ConsumerRunner[] = groups.map(({ group, handlers }) =>
    createConsumerRunner({
      groupId: named(group),
      topics: topicsConsumedBy(group).map(named),
      handlers,
      kafka,
      pool,
      logger,
      metrics,
      inboxPruning: inboxPruningFrom(config),
      sessionTimeoutMs: config.CONSUMER_SESSION_TIMEOUT,
      ...(config.CONSUMER_COMMIT_PER_MESSAGE ? { commitIntervalMs: 0 } : {}),
      inbox: naive === undefined,
    }),
  );

  // A consumer stays `running` while kafkajs retries a broker it lost, for longer than a prober
  // waits, so the broker is asked directly: one metadata request per check, never retried. Its
  // connect still rides the client's broker-restart retry, so with the broker away the check ends
  // at the readiness bound (503) rather than at once.
  const broker = kafka.admin({ retry: { retries: 0 } });
  const readiness: ReadinessCheck[] = [
    { name: 'postgres', check: () => pool.query('select 1') },
    { name: 'kafka', check: () => broker.connect().then(() => broker.describeCluster()) },
  ];
  if (db !== undefined) readiness.push({ name: 'mongo', check: () => db.command({ ping: 1 }) });
  readiness.push(...consumers.map((consumer) => consumer.readiness));
  const redisReadiness = redis.readiness();
  if (redisReadiness !== undefined) readiness.push(redisReadiness);
  const http = createHttpApp({
    service: name,
    logger,
    metrics,
    openapi: { title: definition.title ?? name, version: definition.version },
    readiness,
    ...(parts.mapError === undefined ? {} : { mapError: parts.mapError }),
  });
  http.register(...parts.routes);
  const workers = parts.workers ?? [];
  let stopped: Promise<void> | undefined;

  return {
    http,
    async start() {
      await migrate(pool, [...eventStoreMigrations, ...outboxMigrations, ...(definition.migrations ?? [])]);
      if (mongo !== undefined && db !== undefined) {
        await mongo.connect();
        for (const readModel of readModels) await mongoReadModel(db, readModel).ensureIndexes();
      }
      await redis.start();
      if (naive === undefined) relay.start();
      else await naive.start();
      for (const consumer of consumers) await consumer.start();
      for (const worker of workers) worker.start();
    },
    stop() {
      stopped ??= stopParts();
      return stopped;
    },
  };

  async function stopParts(): Promise<void> {
    // The service's own loops first, then the consumers, since both write through the pool and
    // MongoDB; the relay next, so the batch in flight is published and checkpointed; the connections last.
    for (const worker of workers.toReversed()) await worker.stop();
    for (const consumer of consumers.toReversed()) await consumer.stop();
    await relay.stop();
    await broker.disconnect();
    await naive?.stop();
    // After the consumers, whose after-projection hooks invalidate through it.
    await redis.stop();
    await mongo?.close();
    await pool.end();
  }
}

/**
 * One handler per event type the read models handle, projecting the event into each read model that
 * handles it, in the consumer's one transaction: all of them or none move on. The service's
 * after-projection hook then runs, whether the writes applied the event or found it applied already.
 */
function projectingHandlers(
  db: Db,
  definitions: readonly AnyReadModel[],
  history: StreamHistory,
  hook: { readonly run: AfterProjected; readonly logger: Logger } | undefined,
): EventHandlers {
  const models = definitions.map((definition) => ({ handles: new Set<string>(definition.handles), model: mongoReadModel(db, definition, { history }) }));
  const handler: EventHandler = async (event: DomainEvent, { tx }) => {
    for (const { handles, model } of models) if (handles.has(event.eventType)) await model.project(event, { tx });
    if (hook !== undefined) await runAfterProjected(hook.run, event, hook.logger);
  };
  return Object.fromEntries(definitions.flatMap((definition) => definition.handles).map((type) => [type, handler]));
}
