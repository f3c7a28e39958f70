import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { consumerGroups, topicsConsumedBy, type ConsumerGroup } from '@msa/contracts';
import type { Admin } from 'kafkajs';
import pg from 'pg';
import { SERVERS, SERVICES, type ServiceName, type Settings } from './settings.js';

/** A pool on each service's own database, as `local/lib/services.sh` names them. */
export type ServicePools = Readonly<Record<ServiceName, pg.Pool>>;

export function servicePools(settings: Settings): ServicePools {
  return Object.fromEntries(
    SERVICES.map((name) => [name, new pg.Pool({ connectionString: `postgres://msa:msa@127.0.0.1:${settings.postgresPort}/${name}`, max: 2 })]),
  ) as Record<ServiceName, pg.Pool>;
}

export async function closePools(pools: ServicePools): Promise<void> {
  await Promise.all(Object.values(pools).map((pool) => pool.end()));
}

/** Committed transactions of each service database so far (`pg_stat_database.xact_commit`). */
export async function transactionsCommitted(pool: pg.Pool): Promise<Map<string, number>> {
  // Backends report their counts when idle for a moment; a second's pause lets the last ones in.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const { rows } = await pool.query<{ datname: string; xact_commit: string }>(
    'select datname, xact_commit from pg_stat_database where datname = any($1)',
    [SERVICES],
  );
  return new Map(rows.map((row) => [row.datname, Number(row.xact_commit)]));
}

/** Messages the saga's groups have not committed yet, summed per group. */
export async function consumerLag(admin: Admin): Promise<Map<string, number>> {
  const groups = (Object.keys(consumerGroups) as ConsumerGroup[]).filter((group) => ['order', 'inventory', 'payment', 'notification'].includes(consumerGroups[group].service));
  const ends = new Map<string, Map<number, number>>();
  const endsOf = async (topic: string): Promise<Map<number, number>> => {
    let known = ends.get(topic);
    if (known === undefined) {
      known = new Map((await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => [partition, Number(high)]));
      ends.set(topic, known);
    }
    return known;
  };
  const lag = new Map<string, number>();
  for (const group of groups) {
    let behind = 0;
    const topics = [...topicsConsumedBy(group)];
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId: group, topics })) {
      const high = await endsOf(topic);
      for (const { partition, offset } of partitions) {
        const end = high.get(partition) ?? 0;
        behind += Number(offset) < 0 ? 0 : Math.max(0, end - Number(offset));
      }
    }
    lag.set(group, behind);
  }
  return lag;
}

/** Events a service appended that its outbox relay has not published yet, and the oldest one's age. */
export async function outboxLag(pool: pg.Pool): Promise<{ events: number; oldestMs: number }> {
  const { rows } = await pool.query<{ events: number; oldest_ms: number }>(
    `select count(*)::int as events,
            coalesce(extract(epoch from clock_timestamp() - min(e.recorded_at)) * 1000, 0)::int as oldest_ms
       from events e
       left join outbox_checkpoints c on c.relay = 'default'
      where (e.transaction_id, e.position) > (coalesce(c.transaction_id, '0'::xid8), coalesce(c.position, 0))`,
  );
  return { events: rows[0]?.events ?? 0, oldestMs: rows[0]?.oldest_ms ?? 0 };
}

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** utime + stime, and cutime + cstime: its own time and its waited-for children's. */
  readonly own: number;
  readonly children: number;
}

function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command may hold spaces and parentheses: the fields after it start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const at = (field: number) => Number(fields[field - 3]);
    return { pid, ppid: at(4), own: at(14) + at(15), children: at(16) + at(17) };
  } catch {
    return undefined;
  }
}

/**
 * CPU-seconds a process and all its descendants have used: the time of every one still alive, and of
 * the children each of them has waited for. The waited-for time of every process counts, not only the
 * root's: PostgreSQL's exited backends are reaped by the postmaster, a child of the root (`runuser`),
 * and a backend that exits between two readings would otherwise take its time out of the total.
 */
export function treeSeconds(root: number, all: readonly ProcStat[]): number {
  const byParent = new Map<number, ProcStat[]>();
  for (const stat of all) byParent.set(stat.ppid, [...(byParent.get(stat.ppid) ?? []), stat]);
  let ticks = 0;
  const visit = (stat: ProcStat): void => {
    ticks += stat.own + stat.children;
    for (const child of byParent.get(stat.pid) ?? []) visit(child);
  };
  const rootStat = all.find((stat) => stat.pid === root);
  if (rootStat !== undefined) visit(rootStat);
  return ticks / TICKS_PER_SECOND;
}

/** The platform's processes from `.local/run/*.pid`: each service and the busiest servers. */
export function platformProcesses(settings: Settings): Map<string, number> {
  const processes = new Map<string, number>();
  for (const name of [...SERVICES, ...SERVERS]) {
    try {
      const pid = Number(readFileSync(join(settings.stateDir, 'run', `${name}.pid`), 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0) processes.set(name, pid);
    } catch {
      // Not running: left out of the CPU table.
    }
  }
  return processes;
}

/** CPU-seconds so far of each named process tree. */
export function cpuSeconds(processes: ReadonlyMap<string, number>): Map<string, number> {
  const all = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => procStat(Number(entry)))
    .filter((stat): stat is ProcStat => stat !== undefined);
  return new Map([...processes].map(([name, pid]) => [name, treeSeconds(pid, all)]));
}

/** `after - before`, key by key. */
export function deltas(after: ReadonlyMap<string, number>, before: ReadonlyMap<string, number>): Map<string, number> {
  return new Map([...after].map(([key, value]) => [key, value - (before.get(key) ?? 0)]));
}
