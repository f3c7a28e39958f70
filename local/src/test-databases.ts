import { randomUUID } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import pg from 'pg';
import { localServers } from './servers.js';

/** A PostgreSQL database of its own for one test file, on the local server. */
export interface TestDatabase {
  /** The prefix given, then `_` and a random suffix. */
  readonly name: string;
  /** A connection string to it, as the local superuser. */
  readonly url: string;
  /** Drops it, ending any session still connected to it. */
  drop(): Promise<void>;
}

/** A MongoDB-wire (FerretDB) database of its own for one test file, on the local server. */
export interface TestMongoDatabase {
  /** The prefix given, then `_` and a random suffix. */
  readonly name: string;
  /** The database, on a client connected for it. */
  readonly db: Db;
  /** Drops it and closes the client. */
  drop(): Promise<void>;
}

// Both servers take these as database names unquoted; 63 is PostgreSQL's identifier limit.
const PREFIX = /^[a-z][a-z0-9_]{0,49}$/;

function uniqueName(prefix: string): string {
  if (!PREFIX.test(prefix)) {
    throw new Error(`database prefix "${prefix}" must be lower-case letters, digits and _, at most 50, starting with a letter`);
  }
  return `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
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

/**
 * Creates an empty PostgreSQL database named `<prefix>_<random>`, so tests never see each other's
 * rows. Call `drop` after the file; it works with the test's pools still open.
 *
 * @throws Error for a prefix that is not a plain lower-case identifier.
 */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  await asSuperuser(`create database ${name}`);
  const url = new URL(localServers().postgresUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => asSuperuser(`drop database if exists ${name} with (force)`) };
}

/**
 * Connects to a MongoDB-wire database named `<prefix>_<random>` (the server creates it on the
 * first write). Call `drop` after the file.
 *
 * @throws Error for a prefix that is not a plain lower-case identifier.
 */
export async function createTestMongoDatabase(prefix: string): Promise<TestMongoDatabase> {
  const name = uniqueName(prefix);
  const client = new MongoClient(localServers().mongoUrl, { serverSelectionTimeoutMS: 5_000 });
  await client.connect();
  const db = client.db(name);
  return {
    name,
    db,
    drop: async () => {
      try {
        await db.dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}
