import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase } from '@msa/local';
import { consumerMigrations, createLogger, createPool, eventStoreMigrations, migrate, outboxMigrations } from '@msa/platform';

const run = promisify(execFile);

/**
 * One consumer step of the saga in its smallest form: what a handler's transaction writes when an
 * event makes it append one: the store's own `append_events` call with one event (an inventory
 * reservation), then the inbox row that marks the consumed event handled, in one transaction.
 */
const APPEND_PLUS_INBOX = `begin;
select append_events('StockReservation-' || u, 0, jsonb_build_array(jsonb_build_object(
    'eventId', gen_random_uuid(), 'eventType', 'InventoryReserved', 'aggregateType', 'StockReservation',
    'aggregateId', u, 'schemaVersion', 1, 'correlationId', 'bench', 'causationId', 'bench', 'occurredAt', now(),
    'payload', jsonb_build_object('orderId', u, 'status', 'SUCCESS',
      'items', jsonb_build_array(jsonb_build_object('productId', gen_random_uuid(), 'quantity', 1))),
    'traceHeaders', '{}'::jsonb, 'topic', 'inventory.stock.reserved')))
  from (select gen_random_uuid()::text as u) as fresh;
insert into consumer_inbox (consumer_group, event_id, topic, partition, "offset")
  values ('inventory.reservations', gen_random_uuid(), 'order.lifecycle.created', 0, 0)
  on conflict (consumer_group, event_id) do nothing;
commit;
`;

/**
 * pgbench's transactions per second for the append-plus-inbox script, on a fresh database migrated
 * as a service's is (event store, outbox, inbox), on the same PostgreSQL the platform uses.
 */
export async function appendPlusInboxTps(binary: string, { clients, seconds }: { readonly clients: number; readonly seconds: number }): Promise<number> {
  const database = await createTestDatabase('bench_pgbench');
  const logger = createLogger({ service: 'bench-pgbench', level: 'error' });
  const pool = createPool({ connectionString: database.url, applicationName: 'bench-pgbench', logger, max: 1 });
  const dir = await mkdtemp(join(tmpdir(), 'bench-pgbench-'));
  try {
    await migrate(pool, [...eventStoreMigrations, ...outboxMigrations, ...consumerMigrations]);
    const file = join(dir, 'append-plus-inbox.sql');
    await writeFile(file, APPEND_PLUS_INBOX);
    const url = new URL(database.url);
    const args = [
      ...['-h', url.hostname, '-p', url.port, '-U', decodeURIComponent(url.username)],
      ...['-n', '-M', 'prepared', '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(seconds)],
      ...['-f', file, url.pathname.slice(1)],
    ];
    const { stdout } = await run(binary, args, { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) } });
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1];
    if (tps === undefined) throw new Error(`pgbench printed no tps:\n${stdout}`);
    const failed = /number of failed transactions: (\d+)/.exec(stdout)?.[1];
    if (failed !== undefined && failed !== '0') throw new Error(`pgbench had ${failed} failed transactions`);
    return Number(tps);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await pool.end();
    await database.drop();
  }
}
