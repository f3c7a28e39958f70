import { createTestDatabase as createEmptyDatabase } from '@msa/local';
import pg from 'pg';
import { createLogger, type Logger } from '../../../src/index.js';
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
  const pool = new pg.Pool({ connectionString: database.url, max });
  await migrate(pool, [...eventStoreMigrations, ...outboxMigrations]);
  return {
    name: database.name,
    pool,
    logger: createLogger({ service: 'test', level: 'silent' }),
    async drop() {
      await pool.end();
      await database.drop();
    },
  };
}
