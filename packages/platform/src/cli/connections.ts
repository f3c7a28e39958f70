import type { Command } from 'commander';
import type { Kafka } from 'kafkajs';
import pg from 'pg';
import { pino } from 'pino';
import { createKafka } from '../kafka/client.js';
import { createPool } from '../postgres/pool.js';
import { createLogger, type Logger } from '../telemetry/logger.js';
import { CliUsageError, cliConnection, cliDatabaseConnection, type CliDatabaseConnection } from './config.js';

/** Where the CLI reads its environment and writes its output; the real process, or a test's capture. */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Called with 1 when a command did not get everything done, so scripts can tell. */
  readonly setExitCode: (code: number) => void;
}

/** What a command that needs only the group's database works with. */
export interface DatabaseConnections {
  readonly pool: pg.Pool;
  readonly logger: Logger;
}

/** What a command that reads Kafka too works with. */
export interface Connections extends DatabaseConnections {
  readonly kafka: Kafka;
}

interface GlobalOptions {
  readonly brokers?: string;
  readonly databaseUrl?: string;
}

// SQLSTATEs for a table, and a database, that does not exist.
const UNDEFINED_TABLE = '42P01';
const UNDEFINED_DATABASE = '3D000';

/** Runs `work` with the group's database and Kafka, from the command's options and the environment. */
export async function withConnections(io: CliIo, command: Command, work: (connections: Connections) => Promise<void>): Promise<void> {
  const connection = cliConnection(io.env, command.optsWithGlobals<GlobalOptions>());
  await withPool(connection, async ({ pool, logger }) => {
    const kafka = createKafka({ clientId: 'dlt-cli', brokers: connection.brokers, logger });
    await work({ kafka, pool, logger });
  });
}

/** Runs `work` with the group's database only; no Kafka setting is needed. */
export async function withDatabase(
  io: CliIo,
  command: Command,
  work: (connections: DatabaseConnections) => Promise<void>,
): Promise<void> {
  await withPool(cliDatabaseConnection(io.env, command.optsWithGlobals<GlobalOptions>()), work);
}

async function withPool(connection: CliDatabaseConnection, work: (connections: DatabaseConnections) => Promise<void>): Promise<void> {
  const logger = createLogger({ service: 'dlt-cli', level: connection.logLevel, destination: pino.destination(2) });
  const pool = createPool({ connectionString: connection.databaseUrl, applicationName: 'dlt-cli', logger, max: 4 });
  try {
    // Connecting first settles where the command works before it asks Kafka anything.
    await pool.query('select 1');
    await work({ pool, logger });
  } catch (error) {
    if (error instanceof pg.DatabaseError && error.code === UNDEFINED_DATABASE) {
      throw new CliUsageError(`${error.message}: --database-url (or DATABASE_URL) names a database the server does not have`);
    }
    if (error instanceof pg.DatabaseError && error.code === UNDEFINED_TABLE) {
      throw new CliUsageError(
        "this database has no consumer runner tables: give the consumer group's own database (its runner creates them at start)",
      );
    }
    throw error;
  } finally {
    await pool.end();
  }
}
