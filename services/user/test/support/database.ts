import { randomUUID } from 'node:crypto';
import { localServers } from '@msa/local';
import pg from 'pg';

async function asSuperuser(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: localServers().postgresUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A PostgreSQL database of its own for one test file. */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** Creates an empty database with a unique name; `drop` removes it even with connections open. */
export async function createTestDatabase(prefix = 'user_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await asSuperuser(`create database ${name}`);
  const url = new URL(localServers().postgresUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => asSuperuser(`drop database if exists ${name} with (force)`) };
}
