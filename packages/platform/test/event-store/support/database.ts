import { createTestDatabase as createEmptyDatabase } from '@msa/local';
import type pg from 'pg';
import { createLogger, createPool, type Logger } from '../../../src/index.js';
import { migrate } from '../../../src/postgres/migrate.js';
import { eventStoreMigrations } from '../../../src/event-store/schema.js';
import { outboxMigrations } from '../../../src/outbox/schema.js';

/** A database of its own for one test file, migrated for the event store and the outbox. */
export interface TestDatabase {
  readonly name: string;
  readonly pool: pg.Pool;
  readonly logger: Logger;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** Creates and migrates a uniquely named database; call in `beforeAll`, `drop` in `afterAll`. */
export async function createTestDatabase(prefix: string, max = 10): Promise<TestDatabase> {
  const database = await createEmptyDatabase(prefix);
  const logger = createLogger({ service: 'test', level: 'silent' });
  // The platform's pool, as services use it: `drop` ends the database's sessions while pooled
  // clients may still be closing, and its error listener keeps that from crashing the test.
  const pool = createPool({ connectionString: database.url, applicationName: 'test', logger, max });
  await migrate(pool, [...eventStoreMigrations, ...outboxMigrations]);
  return {
    name: database.name,
    pool,
    logger,
    async drop() {
      await pool.end();
      await database.drop();
    },
  };
}
