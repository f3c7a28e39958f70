import { createTestDatabase, type TestDatabase } from '@msa/local';
import type pg from 'pg';
import { createPool } from '../../src/postgres/pool.js';
import { createLogger } from '../../src/telemetry/logger.js';

/** A test database with a pool on it; `drop` ends the pool, then drops the database. */
export interface PooledTestDatabase extends TestDatabase {
  readonly pool: pg.Pool;
}

/** A database of its own for one test file, named `<prefix>_<random>`, with a pool of `max`. */
export async function createPooledDatabase(prefix: string, max = 10): Promise<PooledTestDatabase> {
  const database = await createTestDatabase(prefix);
  // The platform's pool, as services use it: `drop` ends the database's sessions while pooled
  // clients may still be closing, and its error listener keeps that from crashing the test.
  const logger = createLogger({ service: 'test', level: 'silent' });
  const pool = createPool({ connectionString: database.url, applicationName: 'test', logger, max });
  return {
    ...database,
    pool,
    drop: async () => {
      await pool.end();
      await database.drop();
    },
  };
}
