import { z } from 'zod';
import { env } from '../config/env.js';
import { inboxPruningVariables } from '../consumer/index.js';
import { mongoVariables } from '../mongo/env.js';
import { outboxRelayVariables } from '../outbox/config.js';

const hostPort = z.string().regex(/^[\w.-]+:\d{1,5}$/, 'expected host:port');

/** What differs between services in the variables they all read. */
export interface ServiceVariableDefaults {
  /** The HTTP port when `PORT` is unset (8081 for the user service, and so on). */
  readonly port: number;
  /** The MongoDB database when `MONGO_DATABASE` is unset: usually the service's name. */
  readonly database: string;
}

/**
 * The variables every service reads, to spread into its own `z.object` beside the ones only it
 * reads: `PORT`, `LOG_LEVEL`, `DATABASE_URL`, `KAFKA_BROKERS`, `MONGO_URL`, `MONGO_DATABASE`,
 * `MONGO_TIMEOUT`, `REDIS_URL` (optional), `REDIS_TIMEOUT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (optional), the token
 * verification settings `JWT_PUBLIC_KEYS`, `JWT_ISSUER`, `JWT_AUDIENCE`, `KAFKA_NAMESPACE` (optional),
 * `CONSUMER_SESSION_TIMEOUT`, the naive baseline's `CONSUMER_COMMIT_PER_MESSAGE`, `READ_CACHE_OFF` and `OUTBOX_POLL_ONLY`, and the inbox pruning and outbox relay settings. One list, so six services name and check them alike.
 */
export function serviceVariables({ port, database }: ServiceVariableDefaults) {
  return {
    ...storeVariables(database),
    PORT: env.port().default(port),
    KAFKA_BROKERS: env.list(hostPort),
    /**
     * Suffixes every topic and consumer group with `.<namespace>` and prefixes Redis keys with it, as
     * `createService`'s `namespace` does: a service run as a process of its own joins the services a
     * test built in-process on that namespace. Unset in production.
     */
    KAFKA_NAMESPACE: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'expected 1 to 40 letters, digits, _ or -').optional(),
    REDIS_URL: env.secret(env.url({ protocols: ['redis:', 'rediss:'] })).optional(),
    /** How long a Redis command may wait: a stalled Redis costs a request this, and no more. */
    REDIS_TIMEOUT: env
      .duration()
      .refine((ms) => ms >= 1 && ms <= 10_000, 'expected from 1ms to 10s')
      .default(50),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: env.url({ protocols: ['http:', 'https:'] }).optional(),
    /** Every service verifies tokens; one that also signs them adds `tokenSigningVariables()`. */
    JWT_PUBLIC_KEYS: env.verificationKeys(),
    JWT_ISSUER: z.string().min(1).default('msa-ecommerce/user'),
    JWT_AUDIENCE: z.string().min(1).default('msa-ecommerce'),
    /**
     * How long Kafka waits for a consumer's heartbeat before it gives the member's partitions to
     * others. A killed service's partitions stay with its dead members until then, so its restarted
     * replica resumes only after it: 6 s (the broker's `group.min.session.timeout.ms`) lets one back
     * within 10 s. The runner heartbeats every second through handler waits, so only a process
     * stalled that long loses its partitions.
     */
    CONSUMER_SESSION_TIMEOUT: env
      .duration()
      .refine((ms) => ms >= 6_000 && ms <= 300_000, 'expected from 6s to 5m')
      .default(6_000),
    /**
     * The control build: publish after commit instead of the outbox relay, and no inbox dedupe, as
     * the seed did. It exists to show the fault suite finds what that loses and doubles; only a
     * platform on loopback brokers may turn it on.
     */
    NAIVE_DUAL_WRITE: env.boolean().default(false),
    /**
     * The naive baseline's consumers: each message's offset is committed on its own after it was
     * handled, instead of at the end of a batch and at most a second apart. Off in production; the
     * platform bench turns it on to measure what batching the commits is worth.
     */
    CONSUMER_COMMIT_PER_MESSAGE: env.boolean().default(false),
    /**
     * The naive baseline's reads: `kit.cache` never uses Redis, every read loads from the read model
     * (token revocations still use Redis). Off in production; the platform bench turns it on.
     */
    READ_CACHE_OFF: env.boolean().default(false),
    ...inboxPruningVariables,
    ...outboxRelayVariables,
  };
}

/**
 * The part of `serviceVariables` a read-model rebuild reads: the stores and the log level. The
 * rebuild takes these from the service's own schema, so it runs from a shell that has only them.
 */
export const REBUILD_VARIABLES = ['DATABASE_URL', 'MONGO_URL', 'MONGO_DATABASE', 'MONGO_TIMEOUT', 'LOG_LEVEL'] as const;

function storeVariables(database: string) {
  return {
    DATABASE_URL: env.secret(env.url({ protocols: ['postgres:', 'postgresql:'] })),
    ...mongoVariables,
    MONGO_DATABASE: z.string().regex(/^[\w-]{1,63}$/, 'expected a database name of letters, digits, _ or -').default(database),
    LOG_LEVEL: env.logLevel().default('info'),
  };
}

/** The variables of `serviceVariables`, as loaded: what the service kit reads of every service's configuration. */
export type ServiceConfig = z.output<z.ZodObject<ReturnType<typeof serviceVariables>>>;

/** The variables a rebuild reads, as loaded. */
export type RebuildConfig = Pick<ServiceConfig, (typeof REBUILD_VARIABLES)[number]>;
