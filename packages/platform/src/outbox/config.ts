import { z } from 'zod';
import { env } from '../config/env.js';
import { loadConfig } from '../config/load-config.js';

const hostPort = z.string().regex(/^[\w.-]+:\d{1,5}$/, 'expected host:port');

/** The leader's session ends this long after it went quiet; a shorter one mistakes a pause for a death. */
export const leaderTimeoutMs = z.int().min(1_000, 'must be at least 1000 ms (1 s)').max(600_000, 'must be at most 10 minutes');

/** The pause between a follower's attempts to take the lock. */
export const leaderRetryMs = z.int().min(100, 'must be at least 100 ms').max(60_000, 'must be at most 1 minute');

/** Events read at once. */
export const relayBatchSize = z.int().min(1).max(10_000);

/** The most a relay lets its checkpoint trail what Kafka acknowledged; 0 writes it after every batch. */
export const checkpointIntervalMs = z.int().min(0).max(60_000, 'must be at most 1 minute');

/** Room for one ordinary event with its headers; less would make every event unpublishable. */
export const MIN_RELAY_BATCH_BYTES = 1_024;

/** Bytes of records per send; Kafka's default `max.message.bytes` is 1 MiB (1048588). */
export const relayMaxBatchBytes = z.int().min(MIN_RELAY_BATCH_BYTES, `must be at least ${MIN_RELAY_BATCH_BYTES}`).max(100_000_000, 'must be at most 100000000');

/**
 * The relay's settings as environment variables, to spread into the `loadConfig` schema of any
 * program that runs a relay, so each names and checks them alike. Durations read as `6s`, `500ms`.
 * A follower takes over a frozen or vanished leader within about `OUTBOX_LEADER_TIMEOUT` plus
 * `OUTBOX_LEADER_RETRY`: 8 s with the defaults.
 */
export const outboxRelayVariables = {
  OUTBOX_LEADER_TIMEOUT: env.duration().pipe(leaderTimeoutMs).default(6_000),
  OUTBOX_LEADER_RETRY: env.duration().pipe(leaderRetryMs).default(2_000),
  OUTBOX_BATCH_SIZE: env.integer().pipe(relayBatchSize).default(1_000),
  /** At most the smallest `max.message.bytes` of the topics the relay writes. */
  OUTBOX_BATCH_MAX_BYTES: env.integer().pipe(relayMaxBatchBytes).default(1_000_000),
  /**
   * The naive baseline's relay: it ignores the event store's notifications and finds new events only
   * by polling, once a second when idle. Off in production; the platform bench turns it on, with
   * `OUTBOX_BATCH_SIZE=1`, to measure what the wake-up and the batching are worth.
   */
  OUTBOX_POLL_ONLY: env.boolean().default(false),
  /**
   * How far the checkpoint may trail Kafka's acknowledgements: what a crash republishes, at most.
   * The naive baseline sets 0, a write after every batch, as a relay that checkpoints each send.
   */
  OUTBOX_CHECKPOINT_INTERVAL: env.duration().pipe(checkpointIntervalMs).default(250),
};

/** The variables of `outboxRelayVariables`, as loaded. */
export type OutboxRelayConfig = z.output<z.ZodObject<typeof outboxRelayVariables>>;

/** The `createOutboxRelay` options a loaded configuration sets. */
export function outboxRelayOptionsFrom(config: OutboxRelayConfig): {
  readonly leaderTimeoutMs: number;
  readonly leaderRetryMs: number;
  readonly batchSize: number;
  readonly maxBatchBytes: number;
  readonly wakeOnAppend: boolean;
  readonly checkpointIntervalMs: number;
} {
  return {
    leaderTimeoutMs: config.OUTBOX_LEADER_TIMEOUT,
    leaderRetryMs: config.OUTBOX_LEADER_RETRY,
    batchSize: config.OUTBOX_BATCH_SIZE,
    maxBatchBytes: config.OUTBOX_BATCH_MAX_BYTES,
    wakeOnAppend: !config.OUTBOX_POLL_ONLY,
    checkpointIntervalMs: config.OUTBOX_CHECKPOINT_INTERVAL,
  };
}

/** The standalone relay's environment. */
const relayConfigSchema = z.object({
  /** The database whose events to publish (a service's, already migrated by that service). */
  DATABASE_URL: env.secret(env.url({ protocols: ['postgres:', 'postgresql:'] })),
  KAFKA_BROKERS: env.list(hostPort),
  /** Relays of one name share a checkpoint: use the name the service's own relay uses. */
  RELAY_NAME: z.string().min(1).max(100).default('default'),
  /** Serves `/health/*` and `/metrics`. */
  PORT: env.port().default(9464),
  LOG_LEVEL: env.logLevel().default('info'),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: env.url({ protocols: ['http:', 'https:'] }).optional(),
  ...outboxRelayVariables,
});

/** The standalone relay's validated configuration. */
export type RelayConfig = z.output<typeof relayConfigSchema>;

/**
 * Reads the standalone relay's configuration once, at start-up.
 *
 * @throws ConfigError naming every bad variable.
 */
export function loadRelayConfig(variables: Readonly<Record<string, string | undefined>> = process.env): RelayConfig {
  return loadConfig(relayConfigSchema, variables);
}
