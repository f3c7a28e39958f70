import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { localServers } from '../src/index.js';

describe('PostgreSQL smoke', () => {
  const pool = new pg.Pool({ connectionString: localServers().postgresUrl, max: 2 });
  const table = `smoke_${randomUUID().replaceAll('-', '')}`;

  afterAll(async () => {
    await pool.query(`drop table if exists ${table}`);
    await pool.end();
  });

  it('given the project cluster, when a row is written in a transaction, then it reads back', async () => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query(`create table ${table} (id bigserial primary key, body jsonb not null)`);
      await client.query(`insert into ${table} (body) values ($1)`, [{ hello: 'world' }]);
      await client.query('commit');
    } finally {
      client.release();
    }

    const { rows } = await pool.query<{ body: { hello: string } }>(`select body from ${table}`);
    const version = await pool.query<{ server_version: string }>('show server_version');

    expect(rows).toEqual([{ body: { hello: 'world' } }]);
    expect(version.rows[0]?.server_version).toMatch(/^15\./);
  });
});
