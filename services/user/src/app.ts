import { randomUUID } from 'node:crypto';
import { topicsConsumedBy } from '@msa/contracts';
import {
  createConsumerRunner,
  inboxPruningFrom,
  createEventStore,
  createHttpApp,
  createKafka,
  createOutboxRelay,
  createPool,
  createTokenIssuer,
  eventStoreMigrations,
  type HttpApp,
  type Logger,
  migrate,
  mongoClientFrom,
  mongoReadModel,
  outboxMigrations,
  outboxRelayOptionsFrom,
  type PlatformMetrics,
  requireAuth,
} from '@msa/platform';
import { createPasswordHasher, type ScryptCost } from './adapters/crypto/password-hasher.js';
import { mapUserError } from './adapters/http/problems.js';
import { userRoutes } from './adapters/http/routes.js';
import { profileQueries } from './adapters/mongo/profile-queries.js';
import { profileReadModel } from './adapters/mongo/profile-read-model.js';
import { createUserAccounts } from './adapters/postgres/accounts.js';
import { userMigrations } from './adapters/postgres/schema.js';
import type { UserConfig } from './config.js';

/** The service name in logs, metrics, traces and Kafka client ids. */
export const SERVICE = 'user';
/** The HTTP API's version, as the OpenAPI document states it. */
export const API_VERSION = '1.0.0';
const READ_MODEL_GROUP = 'user.read-model';

/** Options for `createUserApp`. */
export interface UserAppOptions {
  readonly config: UserConfig;
  readonly logger: Logger;
  readonly metrics: PlatformMetrics;
  /**
   * Suffixes every Kafka topic and the consumer group with `.<namespace>`, so tests sharing one
   * broker stay apart. Unset in production, where the catalog names are used as they are.
   */
  readonly namespace?: string;
  /** The password hashing cost. @default DEFAULT_SCRYPT_COST */
  readonly scryptCost?: ScryptCost;
}

/** The assembled service: its HTTP app, and the background parts `start` runs and `stop` ends. */
export interface UserApp {
  readonly http: HttpApp;
  /** Migrates PostgreSQL, creates the read model's indexes, starts the outbox relay and the consumer. */
  start(): Promise<void>;
  /** Stops the consumer and the relay, then closes the connections. */
  stop(): Promise<void>;
}

/** Builds the user service from its configuration; nothing connects until `start`. */
export async function createUserApp({ config, logger, metrics, namespace, scryptCost }: UserAppOptions): Promise<UserApp> {
  const named = (name: string) => (namespace === undefined ? name : `${name}.${namespace}`);
  const issuer = config.JWT_ISSUER;
  const audience = config.JWT_AUDIENCE;

  const pool = createPool({ connectionString: config.DATABASE_URL.reveal(), applicationName: `${SERVICE}-service`, logger });
  const mongo = mongoClientFrom(config, `${SERVICE}-service`);
  const db = mongo.db(config.MONGO_DATABASE);
  const kafka = createKafka({ clientId: `${SERVICE}-service`, brokers: config.KAFKA_BROKERS, logger });

  const store = createEventStore({ pool, logger });
  const profiles = mongoReadModel(db, profileReadModel);
  // The default relay name, so a standalone platform relay on this database (also `default`) shares
  // the leadership and the checkpoint instead of publishing everything a second time.
  const relay = createOutboxRelay({ pool, kafka, logger, metrics, resolveTopic: named, ...outboxRelayOptionsFrom(config) });
  const consumer = createConsumerRunner({
    groupId: named(READ_MODEL_GROUP),
    topics: topicsConsumedBy(READ_MODEL_GROUP).map(named),
    handlers: profiles.handlers(),
    kafka,
    pool,
    logger,
    metrics,
    inboxPruning: inboxPruningFrom(config),
  });

  const http = createHttpApp({
    service: SERVICE,
    logger,
    metrics,
    openapi: { title: 'User service', version: API_VERSION },
    readiness: [
      { name: 'postgres', check: () => pool.query('select 1') },
      { name: 'mongo', check: () => db.command({ ping: 1 }) },
      consumer.readiness,
    ],
    mapError: mapUserError,
  });
  http.register(
    ...userRoutes({
      accounts: createUserAccounts({ pool, store, passwords: await createPasswordHasher(scryptCost) }),
      profiles: profileQueries(profiles),
      tokens: await createTokenIssuer({ privateJwk: config.JWT_PRIVATE_KEY.reveal(), issuer, audience, ttlMs: config.JWT_TTL }),
      authenticated: requireAuth({ keys: config.JWT_PUBLIC_KEYS, issuer, audience }),
      adminOnly: requireAuth({ keys: config.JWT_PUBLIC_KEYS, issuer, audience, roles: ['admin'] }),
      adminEmails: config.ADMIN_EMAILS,
      newUserId: randomUUID,
      now: () => new Date(),
    }),
  );

  return {
    http,
    async start() {
      await migrate(pool, [...eventStoreMigrations, ...outboxMigrations, ...userMigrations]);
      await mongo.connect();
      await profiles.ensureIndexes();
      relay.start();
      await consumer.start();
    },
    async stop() {
      await consumer.stop();
      await relay.stop();
      await mongo.close();
      await pool.end();
    },
  };
}
