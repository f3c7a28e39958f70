import { z } from 'zod';
import { env } from '../config/env.js';
import { loadConfig } from '../config/load-config.js';

const hostPort = z.string().regex(/^[\w.-]+:\d{1,5}$/, 'expected host:port');

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
