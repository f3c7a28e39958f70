import { randomUUID } from 'node:crypto';
import { localServers } from '@msa/local';
import {
  createEventStore,
  createLogger,
  createPool,
  eventStoreMigrations,
  migrate,
  outboxMigrations,
  type EventStore,
  type Logger,
} from '@msa/platform';
import pg from 'pg';

/** A fresh database of the benchmark's, migrated like a service's. */
export interface BenchDatabase {
  readonly name: string;
  readonly url: string;
  readonly pool: pg.Pool;
  readonly store: EventStore;
  drop(): Promise<void>;
}

async function asSuperuser(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: localServers().postgresUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates and migrates `bench_<label>_<random>` with a pool of `connections`. */
export async function createBenchDatabase(label: string, connections: number, logger: Logger): Promise<BenchDatabase> {
  const name = `bench_${label}_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
  await asSuperuser(`create database ${name}`);
  const url = new URL(localServers().postgresUrl);
  url.pathname = `/${name}`;
  const pool = createPool({ connectionString: url.toString(), applicationName: 'bench', logger, max: connections });
  await migrate(pool, [...eventStoreMigrations, ...outboxMigrations]);
  return {
    name,
    url: url.toString(),
    pool,
    store: createEventStore({ pool, logger }),
    async drop() {
      await pool.end();
      await asSuperuser(`drop database if exists ${name} with (force)`);
    },
  };
}

/** The server setting that decides whether a commit waits for its WAL flush. */
export async function synchronousCommit(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ synchronous_commit: string }>('show synchronous_commit');
  return rows[0]?.synchronous_commit ?? 'unknown';
}

/** Logs only errors, so the report stays readable. */
export const quietLogger: Logger = createLogger({ service: 'bench', level: 'error' });
