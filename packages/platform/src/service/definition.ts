import type { ConsumerGroup, DomainEvent } from '@msa/contracts';
import type { Kafka } from 'kafkajs';
import type { Db } from 'mongodb';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { ConfigSchema } from '../config/load-config.js';
import type { EventHandlers } from '../consumer/index.js';
import type { EventStore } from '../event-store/event-store.js';
import type { ReadCache } from '../cache/read-cache.js';
import type { AuthMiddleware, Role } from '../http/auth/principal.js';
import type { TokenRevocations } from '../http/auth/token-revocations.js';
import type { ErrorMapper } from '../http/error-handler.js';
import type { Route } from '../http/route.js';
import type { Migration } from '../postgres/migrate.js';
import type { MongoReadModel } from '../projection/mongo-read-model.js';
import type { ReadModelDefinition } from '../projection/read-model.js';
import type { VersionedDocument } from '../projection/versioned-document.js';
import type { AfterProjected } from './after-projected.js';
import type { PlatformMetrics } from '../telemetry/metrics.js';
import type { ServiceConfig } from './service-config.js';

/**
 * A read model declaration of any document and event types, as the kit keeps them in a list: `evolve`
 * is a method, so a declaration of narrower types is one of these too.
 */
export type AnyReadModel = ReadModelDefinition<VersionedDocument, DomainEvent>;

/** A service's configuration schema: `z.object({ ...serviceVariables(…), …its own })`. */
export type ServiceConfigSchema = ConfigSchema & z.ZodType<ServiceConfig>;

/**
 * A service as the kit runs it: its name, its configuration, what it keeps in PostgreSQL and MongoDB,
 * and `build`, which turns the kit's parts into its routes and handlers. Everything else (telemetry,
 * pools, the event store, the outbox relay, consumers, readiness, migrations, start and drain order)
 * is the kit's.
 */
export interface ServiceDefinition<S extends ServiceConfigSchema = ServiceConfigSchema> {
  /** `user`, `order`, …: logs, metrics, traces, Kafka client ids and `/health/live` say it. */
  readonly name: string;
  /** The HTTP API's version, as the OpenAPI document states it. */
  readonly version: string;
  /** The OpenAPI document's title. @default the name */
  readonly title?: string;
  /** The service's environment; a bad variable stops start-up naming it. */
  readonly config: S;
  /** The service's own PostgreSQL migrations, applied after the event store's and the outbox's. */
  readonly migrations?: readonly Migration[];
  /**
   * The service's MongoDB read models and the consumer group that projects them from the catalog
   * topics the group consumes. Their indexes are created at start, the group's consumer is part of
   * readiness, and `rebuild-read-model` rebuilds them.
   */
  readonly readModels?: { readonly group: ConsumerGroup; readonly definitions: readonly AnyReadModel[] };
  /** Whether the service uses MongoDB without declaring read models (which need it anyway). @default false */
  readonly mongo?: boolean;
  /** Assembles the service's own parts; nothing may connect yet, `start` does. */
  build(kit: ServiceKit<z.output<S>>): ServiceParts | Promise<ServiceParts>;
}

/** What the kit gives a service's `build`. */
export interface ServiceKit<C extends ServiceConfig = ServiceConfig> {
  readonly name: string;
  readonly config: C;
  /** The root logger; take a child per component. */
  readonly logger: Logger;
  readonly metrics: PlatformMetrics;
  /** The service's PostgreSQL database: event store, outbox, inbox and its own tables. */
  readonly pool: pg.Pool;
  readonly store: EventStore;
  readonly kafka: Kafka;
  /**
   * The service's MongoDB database (`MONGO_DATABASE`).
   *
   * @throws Error when the definition neither declares read models nor sets `mongo`.
   */
  readonly mongo: Db;
  /** One of the declared read models on `mongo`, for the service's queries. */
  readonly readModel: <D extends VersionedDocument, E extends DomainEvent>(definition: ReadModelDefinition<D, E>) => MongoReadModel<D, E>;
  /**
   * Admits callers with a valid token (`JWT_PUBLIC_KEYS`, `JWT_ISSUER`, `JWT_AUDIENCE`), and with one
   * of `roles` when given. With `REDIS_URL`, a token issued before its user's latest revocation is a 401.
   */
  readonly requireAuth: (roles?: readonly Role[]) => AuthMiddleware;
  /**
   * The service's read cache on `REDIS_URL` (every read loads, `bypass`, without it); using it makes
   * the kit connect Redis in `start`, check it as the optional `redis` readiness, and close it in `stop`.
   */
  readonly cache: ReadCache;
  /** Revokes a user's tokens issued before an instant, on every service; the user service's, after a password change. */
  readonly tokenRevocations: TokenRevocations;
  /** A catalog topic or group name as this instance uses it: suffixed with the namespace, if any. */
  readonly named: (name: string) => string;
}

/** A consumer group of the service's own (a saga, a process manager), beside its read models. */
export interface ServiceConsumer {
  readonly group: ConsumerGroup;
  /** By event type, one for each type of the catalog topics the group consumes. */
  readonly handlers: EventHandlers;
}

/**
 * A background loop of the service's own that is not a Kafka consumer (a sender draining a table, a
 * scheduler). The kit starts it after the consumers and stops it before them, so it may rely on the
 * pool and the event store for its whole life, and SIGTERM ends it like everything else.
 */
export interface ServiceWorker {
  /** Names it in logs. */
  readonly name: string;
  /** Starts the loop in the background; it must not throw for a dependency that is down. */
  start(): void;
  /** Ends the loop within its own bound; later calls share the first. */
  stop(): Promise<void>;
}

/** What a service's `build` returns. */
export interface ServiceParts {
  readonly routes: readonly Route[];
  /** Maps the service's domain errors onto the HTTP kit's problems. */
  readonly mapError?: ErrorMapper;
  readonly consumers?: readonly ServiceConsumer[];
  readonly workers?: readonly ServiceWorker[];
  /**
   * Runs after each event's read model writes are applied, and before the event is committed as
   * handled: where a service invalidates what it cached from the read models. It runs for an event
   * the read models had already applied too (a redelivery after a crash may be all that is left of a
   * lost invalidation), gets `AFTER_PROJECTED_TIMEOUT_MS`, and a failure or a timeout is logged, never
   * holding the projection back.
   */
  readonly afterProjected?: AfterProjected;
}
