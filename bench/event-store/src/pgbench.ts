import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** pgbench's outcome: transactions (appends) per second. */
export interface PgbenchRun {
  readonly tps: number;
}

/**
 * The events argument of `append_events`, built by the server: `perAppend` events of the shape the
 * store sends (a UserUpdated with its topic), each with a fresh event id.
 */
function eventsSql(prefix: string, perAppend: number): string {
  return `(select jsonb_agg(jsonb_build_object(
      'eventId', gen_random_uuid(), 'eventType', 'UserUpdated', 'aggregateType', 'User',
      'aggregateId', '${prefix}-' || :s, 'schemaVersion', 1, 'correlationId', 'bench', 'causationId', 'bench',
      'occurredAt', now(), 'payload', jsonb_build_object('userId', '${prefix}-' || :s, 'name', 'Bench ' || g),
      'traceHeaders', '{}'::jsonb, 'topic', 'user.profile.updated'))
    from generate_series(1, ${perAppend}) as g)`;
}

/**
 * The many-stream script, on streams named `<prefix>-<n>`: the same `append_events` call the store
 * makes, each client owning the streams whose index is its client id modulo the client count and
 * appending to them in turn at the version it knows they are at, exactly as the Node writers do.
 */
export function manyStreamScript(prefix: string, clients: number, streams: number, perAppend: number): string {
  const base = Math.floor(streams / clients);
  const extra = streams % clients;
  return [
    '\\set i :i + 1',
    `\\set n case when :client_id < ${extra} then ${base + 1} else ${base} end`,
    `\\set s :client_id + ${clients} * ((:i - 1) % :n)`,
    `\\set v ((:i - 1) / :n) * ${perAppend}`,
    `select append_events('${prefix}-' || :s, :v, ${eventsSql(prefix, perAppend)});`,
    '',
  ].join('\n');
}

/** The single-client script: one stream, appended to at its next version each time. */
export function hotStreamScript(prefix: string, perAppend: number): string {
  return [
    '\\set i :i + 1',
    '\\set s 0',
    `\\set v (:i - 1) * ${perAppend}`,
    `select append_events('${prefix}-' || :s, :v, ${eventsSql(prefix, perAppend)});`,
    '',
  ].join('\n');
}

/** Runs `script` with pgbench against `databaseUrl`: prepared statements, `clients` connections. */
export async function pgbench(
  binary: string,
  databaseUrl: string,
  script: string,
  { clients, seconds }: { readonly clients: number; readonly seconds: number },
): Promise<PgbenchRun> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-event-store-'));
  try {
    const file = join(dir, 'append.sql');
    await writeFile(file, script);
    const url = new URL(databaseUrl);
    const args = [
      ...['-h', url.hostname, '-p', url.port, '-U', decodeURIComponent(url.username)],
      ...['-n', '-M', 'prepared', '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(seconds)],
      ...['-D', 'i=0', '-f', file, url.pathname.slice(1)],
    ];
    const { stdout } = await run(binary, args, { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) } });
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1];
    if (tps === undefined) throw new Error(`pgbench printed no tps:\n${stdout}`);
    const failed = /number of failed transactions: (\d+)/.exec(stdout)?.[1];
    if (failed !== undefined && failed !== '0') throw new Error(`pgbench had ${failed} failed transactions`);
    return { tps: Number(tps) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
