import { z } from 'zod';
import { env } from '../config/env.js';
import { loadConfig } from '../config/load-config.js';

const schema = z.object({
  KAFKA_BROKERS: env.list().optional(),
  DATABASE_URL: env.url({ protocols: ['postgres:', 'postgresql:'] }).optional(),
  LOG_LEVEL: env.logLevel().default('warn'),
});

type LogLevel = z.output<typeof schema>['LOG_LEVEL'];

/** Where a command that needs only the group's database connects. */
export interface CliDatabaseConnection {
  readonly databaseUrl: string;
  readonly logLevel: LogLevel;
}

/** Where the CLI connects: command-line options first, then the environment. */
export interface CliConnection extends CliDatabaseConnection {
  readonly brokers: readonly string[];
}

/** A required setting given neither as an option nor in the environment. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

interface ConnectionOptions {
  readonly brokers?: string;
  readonly databaseUrl?: string;
}

/**
 * Reads `KAFKA_BROKERS`, `DATABASE_URL` and `LOG_LEVEL`, letting `--brokers` and `--database-url`
 * override the first two.
 *
 * @throws ConfigError for a malformed variable, CliUsageError for a missing setting.
 */
export function cliConnection(
  variables: Readonly<Record<string, string | undefined>>,
  options: ConnectionOptions,
): CliConnection {
  const { config, database } = read(variables, options);
  if (config.KAFKA_BROKERS === undefined) throw new CliUsageError('give --brokers or set KAFKA_BROKERS');
  return { ...database, brokers: config.KAFKA_BROKERS };
}

/**
 * `cliConnection` for a command that never talks to Kafka: the brokers may be missing.
 *
 * @throws ConfigError for a malformed variable, CliUsageError for a missing database.
 */
export function cliDatabaseConnection(
  variables: Readonly<Record<string, string | undefined>>,
  options: ConnectionOptions,
): CliDatabaseConnection {
  return read(variables, options).database;
}

function read(
  variables: Readonly<Record<string, string | undefined>>,
  options: ConnectionOptions,
): { config: z.output<typeof schema>; database: CliDatabaseConnection } {
  const config = loadConfig(schema, {
    ...variables,
    ...(options.brokers === undefined ? {} : { KAFKA_BROKERS: options.brokers }),
    ...(options.databaseUrl === undefined ? {} : { DATABASE_URL: options.databaseUrl }),
  });
  if (config.DATABASE_URL === undefined) {
    throw new CliUsageError("give --database-url or set DATABASE_URL (the consumer group's database)");
  }
  return { config, database: { databaseUrl: config.DATABASE_URL, logLevel: config.LOG_LEVEL } };
}
