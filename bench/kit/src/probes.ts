import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { SERVICES, type Platform } from './platform.js';

/** The local servers whose processes' CPU the benches count beside the services'. */
export const SERVERS = ['postgres', 'kafka', 'ferretdb', 'redis'] as const;

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
export function platformProcesses(platform: Platform): Map<string, number> {
  const processes = new Map<string, number>();
  for (const name of [...SERVICES, ...SERVERS]) {
    try {
      const pid = Number(readFileSync(join(platform.stateDir, 'run', `${name}.pid`), 'utf8').trim());
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
