import { createTestDatabase } from '@msa/local';
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

/** Creates and migrates `bench_<label>_<random>` with a pool of `connections`. */
export async function createBenchDatabase(label: string, connections: number, logger: Logger): Promise<BenchDatabase> {
  const database = await createTestDatabase(`bench_${label}`);
  const pool = createPool({ connectionString: database.url, applicationName: 'bench', logger, max: connections });
  await migrate(pool, [...eventStoreMigrations, ...outboxMigrations]);
  return {
    name: database.name,
    url: database.url,
    pool,
    store: createEventStore({ pool, logger }),
    async drop() {
      await pool.end();
      await database.drop();
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
