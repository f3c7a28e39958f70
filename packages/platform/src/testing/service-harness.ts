import { randomUUID } from 'node:crypto';
import { type ConsumerGroup, deadLetterTopicFor, eventTopics } from '@msa/contracts';
import { createTestDatabase, createTestMongoDatabase, createTestTopics, localServers, type TestDatabase, type TestMongoDatabase } from '@msa/local';
import type { Admin, ISocketFactory, ITopicConfig, Kafka } from 'kafkajs';
import type pg from 'pg';
import type { Logger } from 'pino';
import request from 'supertest';
import type { z } from 'zod';
import { toVerificationJwk, type SigningJwk } from '../config/jwk.js';
import { loadConfig } from '../config/load-config.js';
import { createEventStore, type EventStore } from '../event-store/event-store.js';
import { generateSigningKey } from '../http/auth/keys.js';
import type { Principal } from '../http/auth/principal.js';
import { createTokenIssuer } from '../http/auth/token-issuer.js';
import { createKafka } from '../kafka/client.js';
import { createPool } from '../postgres/pool.js';
import { createService, type Service } from '../service/create-service.js';
import type { ServiceConfigSchema, ServiceDefinition, ServiceParts } from '../service/definition.js';
import { createLogger } from '../telemetry/logger.js';

/** What a service publishes and consumes, as far as its test topics go. */
export interface TopicUser {
  /** The service's name: the catalog's `producer` of the topics its outbox publishes to. */
  readonly name: string;
  /** Its consumer groups: its read models' and its own consumers'. */
  readonly groups: readonly ConsumerGroup[];
}

/**
 * The topics a service built in a test needs and the broker does not create by itself, suffixed
 * with `.<namespace>`: every catalog topic it produces (the relay cannot publish to a missing one),
 * every one its groups consume, and the DLT of each consumed one, in catalog order.
 */
export function serviceTestTopics({ name, groups }: TopicUser, namespace: string): ITopicConfig[] {
  return eventTopics.flatMap(({ name: topicName, producer, partitions, consumers }) => {
    const consumed = consumers.some((group) => groups.includes(group));
    if (producer !== name && !consumed) return [];
    const topic = `${topicName}.${namespace}`;
    return (consumed ? [topic, deadLetterTopicFor(topic)] : [topic]).map((t) => ({ topic: t, numPartitions: partitions }));
  });
}

/** A service's consumer groups: its read models' group and those of the consumers its `build` returned. */
export function consumerGroupsOf(definition: Pick<ServiceDefinition, 'readModels'>, parts: Pick<ServiceParts, 'consumers'>): ConsumerGroup[] {
  return [...(definition.readModels === undefined ? [] : [definition.readModels.group]), ...(parts.consumers ?? []).map(({ group }) => group)];
}

/** Options for `startTestService`. */
export interface TestServiceHarnessOptions {
  /** The suffix of the service's topics, groups and Redis keys; another service built in the same spec passes the first one's. @default a fresh one */
  readonly namespace?: string | undefined;
  /** The user service's token signing key, listed in `JWT_PUBLIC_KEYS` (and `JWT_PRIVATE_KEY` for a service that signs); shared so services verify each other's tokens. @default a fresh one */
  readonly signingKey?: SigningJwk | undefined;
  /** The MongoDB server, when not the local one (a proxy in front of it, say). */
  readonly mongoUrl?: string | undefined;
  /** The PostgreSQL server the service connects to (`host:port`), when not the local one: a proxy in front of it. Its database is the test one still. */
  readonly postgresAddress?: string | undefined;
  /** Opens the service's broker connections, for a proxy in front of the broker (see `CreateServiceOptions`). */
  readonly kafkaSocketFactory?: ISocketFactory | undefined;
  /** Variables of the spec's own, as strings, over the service's and the harness's. */
  readonly environment?: Readonly<Record<string, string>> | undefined;
}

/** A service built in-process on the local servers, with databases and topics of its own. */
export interface TestServiceHarness<S extends ServiceConfigSchema> {
  readonly service: Service;
  readonly config: z.output<S>;
  /** The suffix of its topics, groups and Redis keys. */
  readonly namespace: string;
  /** The key its tokens are signed with, to share with another service of the spec. */
  readonly signingKey: SigningJwk;
  readonly database: TestDatabase;
  readonly mongo: TestMongoDatabase;
  /** A pool on the service's database and an event store over it, for assertions. */
  readonly pool: pg.Pool;
  readonly store: EventStore;
  readonly logger: Logger;
  /** A client on the local broker, and its admin, connected until `close`. */
  readonly kafka: Kafka;
  readonly admin: Admin;
  /** A supertest client of the service's HTTP API. */
  readonly api: () => ReturnType<typeof request>;
  /** An `Authorization` header value for `principal`, signed as the user service signs its tokens. */
  readonly bearer: (principal: Principal) => Promise<string>;
  /** Stops the service, then drops its topics, groups and databases; rejects, after trying every step, when any failed. */
  readonly close: () => Promise<void>;
}

// One hour, the user service's default JWT_TTL: no spec outlives a token.
const TOKEN_TTL_MS = 3_600_000;

/**
 * Builds `definition` on the local servers as main.ts would, but in-process, and starts it: a test
 * PostgreSQL database and MongoDB database, the topics it publishes to and consumes (see
 * `serviceTestTopics`), `LOG_LEVEL` from the environment (silent by default), and `serviceVariables`
 * pointing at them, under `variables` (the service's own) and the options' `environment`.
 * `JWT_PRIVATE_KEY` is always set: a schema without `tokenSigningVariables` drops it.
 */
export async function startTestService<S extends ServiceConfigSchema>(
  definition: ServiceDefinition<S>,
  schema: S,
  variables: Readonly<Record<string, string>> = {},
  options: TestServiceHarnessOptions = {},
): Promise<TestServiceHarness<S>> {
  const servers = localServers();
  const { name } = definition;
  const namespace = options.namespace ?? randomUUID().replaceAll('-', '').slice(0, 12);
  const signingKey = options.signingKey ?? (await generateSigningKey({ kid: `test-${namespace}` }));
  // What is made is undone in reverse, on `close` and on a start that fails half-way, so neither
  // leaves databases, topics or connections behind.
  const undo: (() => Promise<unknown>)[] = [];
  const release = async (): Promise<void> => {
    const failures: unknown[] = [];
    for (const step of undo.splice(0).reverse()) await step().catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw new AggregateError(failures, `${name} test service: ${failures.length} clean-up steps failed`);
  };
  try {
    const database = await createTestDatabase(`${name}_service`);
    undo.push(() => database.drop());
    const mongo = await createTestMongoDatabase(`${name}_service`);
    undo.push(() => mongo.drop());
    const config = loadConfig(schema, {
      PORT: '0',
      DATABASE_URL: options.postgresAddress === undefined ? database.url : atAddress(database.url, options.postgresAddress),
      KAFKA_BROKERS: servers.kafkaBrokers.join(','),
      MONGO_URL: options.mongoUrl ?? servers.mongoUrl,
      MONGO_DATABASE: mongo.name,
      JWT_PRIVATE_KEY: JSON.stringify(signingKey),
      JWT_PUBLIC_KEYS: JSON.stringify({ keys: [toVerificationJwk(signingKey)] }),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      ...variables,
      ...options.environment,
    });
    const logger = createLogger({ service: name, level: config.LOG_LEVEL });
    const kafka = createKafka({ clientId: `${name}-test`, brokers: servers.kafkaBrokers, logger });
    const admin = kafka.admin();
    await admin.connect();
    undo.push(() => admin.disconnect());

    // The consumers' groups are known once `build` has run, which createService does without
    // connecting; the topics must exist before `start` subscribes to them.
    let groups: readonly ConsumerGroup[] = [];
    const observed: ServiceDefinition<S> = {
      ...definition,
      async build(kit) {
        const parts = await definition.build(kit);
        groups = consumerGroupsOf(definition, parts);
        return parts;
      },
    };
    const { kafkaSocketFactory } = options;
    const service = await createService(observed, config, { logger, namespace, ...(kafkaSocketFactory === undefined ? {} : { kafkaSocketFactory }) });
    const topics = serviceTestTopics({ name, groups }, namespace);
    // Deleting a namespaced topic or group is tidying only: one left behind never meets another test.
    undo.push(() => admin.deleteGroups(groups.map((group) => `${group}.${namespace}`)).catch(() => undefined));
    undo.push(() => admin.deleteTopics({ topics: topics.map(({ topic }) => topic) }).catch(() => undefined));
    await createTestTopics(admin, topics);
    undo.push(() => service.stop());
    await service.start();

    const tokens = await createTokenIssuer({ privateJwk: signingKey, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, ttlMs: TOKEN_TTL_MS });
    const pool = createPool({ connectionString: database.url, applicationName: `${name}-test`, logger });
    undo.push(() => pool.end());
    return {
      service,
      config,
      namespace,
      signingKey,
      database,
      mongo,
      pool,
      store: createEventStore({ pool, logger }),
      logger,
      kafka,
      admin,
      api: () => request(service.http.app),
      bearer: async (principal) => `Bearer ${(await tokens.issue(principal)).token}`,
      close: release,
    };
  } catch (error) {
    await release().catch(() => undefined);
    throw error;
  }
}

/** `url` with its host and port replaced by `address` (`host:port`). */
function atAddress(url: string, address: string): string {
  const moved = new URL(url);
  moved.host = address;
  return moved.toString();
}
