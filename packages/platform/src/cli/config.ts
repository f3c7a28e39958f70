import { z } from 'zod';
import { env } from '../config/env.js';
import { loadConfig } from '../config/load-config.js';

const schema = z.object({
  KAFKA_BROKERS: env.list().optional(),
  DATABASE_URL: env.url({ protocols: ['postgres:', 'postgresql:'] }).optional(),
  LOG_LEVEL: env.logLevel().default('warn'),
});

/** Where the CLI connects: command-line options first, then the environment. */
export interface CliConnection {
  readonly brokers: readonly string[];
  readonly databaseUrl: string;
  readonly logLevel: z.output<typeof schema>['LOG_LEVEL'];
}

/** A required setting given neither as an option nor in the environment. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/**
 * Reads `KAFKA_BROKERS`, `DATABASE_URL` and `LOG_LEVEL`, letting `--brokers` and `--database-url`
 * override the first two.
 *
 * @throws ConfigError for a malformed variable, CliUsageError for a missing setting.
 */
export function cliConnection(
  variables: Readonly<Record<string, string | undefined>>,
  options: { readonly brokers?: string; readonly databaseUrl?: string },
): CliConnection {
  const config = loadConfig(schema, {
    ...variables,
    ...(options.brokers === undefined ? {} : { KAFKA_BROKERS: options.brokers }),
    ...(options.databaseUrl === undefined ? {} : { DATABASE_URL: options.databaseUrl }),
  });
  if (config.KAFKA_BROKERS === undefined) throw new CliUsageError('give --brokers or set KAFKA_BROKERS');
  if (config.DATABASE_URL === undefined) {
    throw new CliUsageError("give --database-url or set DATABASE_URL (the consumer group's database)");
  }
  return { brokers: config.KAFKA_BROKERS, databaseUrl: config.DATABASE_URL, logLevel: config.LOG_LEVEL };
}
