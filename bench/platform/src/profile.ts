import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/** The part of a V8 `.cpuprofile` (`node --cpu-prof`) the self-time table reads. */
const cpuProfile = z.object({
  nodes: z.array(z.object({
    id: z.number(),
    callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
    hitCount: z.number().default(0),
  })),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()).default([]),
  /** Microseconds from the previous sample (the first: from `startTime`). */
  timeDeltas: z.array(z.number()).default([]),
});
export type CpuProfile = z.output<typeof cpuProfile>;

/** Where a share of the samples went: a function, or a package. */
export interface SelfTime {
  readonly name: string;
  readonly share: number;
  readonly ms: number;
}

/** What V8 reports for time outside JavaScript: idle is waiting, the rest is work. */
const IDLE = '(idle)';

/** The package a script belongs to: its node_modules package, `node:` for Node's own, or the repository's folder. */
export function packageOf(url: string): string {
  if (url === '') return '(native)';
  if (url.startsWith('node:')) return 'node:internal';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + '/node_modules/'.length).split('/');
    return scope?.startsWith('@') === true ? `${scope}/${name ?? ''}` : (scope ?? url);
  }
  const inRepo = /\/(packages|services|bench|operator)\/([^/]+)\/(?:dist|src)\//.exec(url);
  return inRepo === null ? url : `${inRepo[1]}/${inRepo[2]}`;
}

/**
 * Self time of each function (and of each package) as a share of the profile's busy samples, the
 * idle ones left out; the `top` largest, largest first. With `lastMs`, only the samples of the
 * profile's last `lastMs` count: a process profiled from its start spends its first seconds loading
 * modules, which is not what a step measured later costs.
 */
export function selfTimes(
  profile: CpuProfile,
  top: number,
  { lastMs }: { readonly lastMs?: number } = {},
): { readonly busyMs: number; readonly idleShare: number; readonly functions: SelfTime[]; readonly packages: SelfTime[] } {
  const from = lastMs === undefined ? Number.NEGATIVE_INFINITY : profile.endTime - lastMs * 1_000;
  const hits = new Map<number, number>();
  let at = profile.startTime;
  for (const [index, sample] of profile.samples.entries()) {
    at += profile.timeDeltas[index] ?? 0;
    if (at > from) hits.set(sample, (hits.get(sample) ?? 0) + 1);
  }
  const counted = [...hits.values()].reduce((sum, count) => sum + count, 0);
  const total = profile.samples.length > 0 ? counted : profile.nodes.reduce((sum, node) => sum + node.hitCount, 0);
  const msPerSample = total === 0 ? 0 : (profile.endTime - Math.max(from, profile.startTime)) / 1_000 / total;
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let idle = 0;
  for (const node of profile.nodes) {
    const count = profile.samples.length > 0 ? (hits.get(node.id) ?? 0) : node.hitCount;
    if (count === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === IDLE) {
      idle += count;
      continue;
    }
    const where = url === '' ? '' : ` ${packageOf(url)}${url.includes('/node_modules/') ? '' : `:${url.split('/').at(-1) ?? ''}`}:${lineNumber + 1}`;
    const name = `${functionName === '' ? '(anonymous)' : functionName}${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + count);
    const pkg = url === '' ? functionName : packageOf(url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + count);
  }
  const busy = total - idle;
  const rank = (counts: Map<string, number>): SelfTime[] =>
    [...counts]
      .toSorted((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, count]) => ({ name, share: busy === 0 ? 0 : count / busy, ms: count * msPerSample }));
  return { busyMs: busy * msPerSample, idleShare: total === 0 ? 0 : idle / total, functions: rank(byFunction), packages: rank(byPackage) };
}

/**
 * Reads the largest `.cpuprofile` in `dir`: the profiled service's, written at its exit (a node the
 * start script ran for a moment, with the same `NODE_OPTIONS`, leaves a small one beside it).
 */
export async function readProfile(dir: string): Promise<CpuProfile> {
  const files = await Promise.all(
    (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile')).map(async (name) => ({ name, bytes: (await stat(join(dir, name))).size })),
  );
  const largest = files.toSorted((a, b) => b.bytes - a.bytes)[0];
  if (largest === undefined) throw new Error('the profiled service wrote no .cpuprofile');
  return cpuProfile.parse(JSON.parse(await readFile(join(dir, largest.name), 'utf8')));
}
