import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLocalConfig, repoRoot, requirePort } from '../config.js';
import { localServers } from '../servers.js';

/** Where local/up's services are declared, in start order; the one list `msa` knows them from. */
export const SERVICES_SCRIPT = join(repoRoot, 'local', 'lib', 'services.sh');

/** What `msa` was asked that the local platform does not have. */
export class MsaUsageError extends Error {
  override readonly name = 'MsaUsageError';
}

/**
 * The services local/up runs, in start order, from the `SERVICES=(...)` line of local/lib/services.sh,
 * so adding a service there is all `msa` needs to know of it.
 *
 * @throws Error when the script has no such line.
 */
export function localServiceNames(script: string = readFileSync(SERVICES_SCRIPT, 'utf8')): string[] {
  const match = /^SERVICES=\(([^)]*)\)/m.exec(script);
  if (match === null) throw new Error('local/lib/services.sh has no SERVICES=(...) line');
  return (match[1] ?? '').split(/\s+/).filter((name) => name !== '');
}

/** How the local platform runs one service: what local/lib/services.sh gives it. */
export interface ServiceSettings {
  readonly name: string;
  /** Its HTTP port, `MSA_<NAME>_PORT`. */
  readonly port: number;
  /** Its PostgreSQL database, named after it: event store, outbox, consumer inbox. */
  readonly databaseUrl: string;
  readonly kafkaBrokers: readonly string[];
  readonly mongoUrl: string;
  /** Its read models' MongoDB database, named after it. */
  readonly mongoDatabase: string;
  readonly redisUrl: string;
}

/**
 * The settings local/up starts service `name` with, from local/config.env and the environment's
 * overrides of it (`MSA_POSTGRES_PORT`, ...), as local/lib/services.sh computes them.
 *
 * @throws MsaUsageError naming the known services when `name` is not one of them.
 */
export function serviceSettings(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  known: readonly string[] = localServiceNames(),
): ServiceSettings {
  if (!known.includes(name)) {
    throw new MsaUsageError(`unknown service ${JSON.stringify(name)}: the local platform runs ${known.join(', ')}`);
  }
  const servers = localServers(env);
  const database = new URL(servers.postgresUrl);
  database.pathname = `/${name}`;
  return {
    name,
    port: requirePort(readLocalConfig(env), `MSA_${name.toUpperCase()}_PORT`),
    databaseUrl: database.toString(),
    kafkaBrokers: servers.kafkaBrokers,
    mongoUrl: servers.mongoUrl,
    mongoDatabase: name,
    redisUrl: servers.redisUrl,
  };
}

/** The variables the platform's command line connects with: the service's database and Kafka. */
export function platformCliEnvironment(settings: ServiceSettings): Record<string, string> {
  return { DATABASE_URL: settings.databaseUrl, KAFKA_BROKERS: settings.kafkaBrokers.join(',') };
}

/**
 * The variables a service's own command (a read-model rebuild) runs with: its stores, as local/up
 * gives them to the service, without its port or signing keys, which such a command has no use for.
 * `MSA_LOG_LEVEL` sets the log level, as for the services; `warn` otherwise, so the command's own
 * progress is what shows.
 */
export function serviceCommandEnvironment(settings: ServiceSettings, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return {
    ...platformCliEnvironment(settings),
    MONGO_URL: settings.mongoUrl,
    MONGO_DATABASE: settings.mongoDatabase,
    REDIS_URL: settings.redisUrl,
    LOG_LEVEL: env.MSA_LOG_LEVEL ?? 'warn',
  };
}
