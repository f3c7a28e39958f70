import { MongoClient } from 'mongodb';
import pg from 'pg';
import { createTestDatabase, createTestMongoDatabase, localServers } from '../src/index.js';

async function postgresDatabases(): Promise<string[]> {
  const client = new pg.Client({ connectionString: localServers().postgresUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('select datname from pg_database');
    return rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

async function mongoDatabases(): Promise<string[]> {
  const client = new MongoClient(localServers().mongoUrl, { serverSelectionTimeoutMS: 5_000 });
  await client.connect();
  try {
    return (await client.db().admin().listDatabases()).databases.map((database) => database.name);
  } finally {
    await client.close();
  }
}

describe('test databases on the local servers', () => {
  it('given a prefix, when a PostgreSQL test database is created, then it is empty, named for the prefix, and gone after drop even with a session open', async () => {
    const database = await createTestDatabase('local_test');
    const session = new pg.Client({ connectionString: database.url });
    await session.connect();
    session.on('error', () => undefined);

    const { rows } = await session.query<{ name: string; tables: string }>(
      "select current_database() as name, (select count(*) from pg_tables where schemaname = 'public') as tables",
    );
    await database.drop();

    expect(database.name).toMatch(/^local_test_[0-9a-f]{12}$/);
    expect(rows).toEqual([{ name: database.name, tables: '0' }]);
    expect(await postgresDatabases()).not.toContain(database.name);
    await session.end().catch(() => undefined);
  });

  it('given a prefix, when a MongoDB test database is written and dropped, then it existed under that name and is gone', async () => {
    const database = await createTestMongoDatabase('local_test');

    await database.db.collection<{ _id: string }>('things').insertOne({ _id: 'a' });
    const before = await mongoDatabases();
    await database.drop();

    expect(database.name).toMatch(/^local_test_[0-9a-f]{12}$/);
    expect(before).toContain(database.name);
    expect(await mongoDatabases()).not.toContain(database.name);
  });

  it('given a prefix that is not a plain identifier, when a test database is asked for, then it is refused naming the prefix', async () => {
    await expect(createTestDatabase('drop table; --')).rejects.toThrow('database prefix "drop table; --"');
    await expect(createTestMongoDatabase('Upper')).rejects.toThrow('database prefix "Upper"');
  });
});
