import { randomUUID } from 'node:crypto';
import { localServers } from '@msa/local';
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

async function asSuperuser(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: localServers().postgresUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates and migrates a uniquely named database; call in `beforeAll`, `drop` in `afterAll`. */
export async function createTestDatabase(prefix: string, max = 10): Promise<TestDatabase> {
  const name = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await asSuperuser(`create database ${name}`);
  const url = new URL(localServers().postgresUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max });
  await migrate(pool, [...eventStoreMigrations, ...outboxMigrations]);
  return {
    name,
    pool,
    logger: createLogger({ service: 'test', level: 'silent' }),
    async drop() {
      await pool.end();
      await asSuperuser(`drop database if exists ${name} with (force)`);
    },
  };
}
