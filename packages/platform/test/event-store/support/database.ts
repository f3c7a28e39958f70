import type pg from 'pg';
import { createLogger, type Logger } from '../../../src/index.js';
import { migrate } from '../../../src/postgres/migrate.js';
import { eventStoreMigrations } from '../../../src/event-store/schema.js';
import { outboxMigrations } from '../../../src/outbox/schema.js';
import { createPooledDatabase } from '../../support/pooled-database.js';

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
  const database = await createPooledDatabase(prefix, max);
  await migrate(database.pool, [...eventStoreMigrations, ...outboxMigrations]);
  return { ...database, logger: createLogger({ service: 'test', level: 'silent' }) };
}
