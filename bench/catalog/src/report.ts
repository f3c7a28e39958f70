import type { LoadResult } from './load.js';
import type { CacheReads, ProcessFigures, WindowFigures } from './window.js';

/** The share of reads served from Redis; NaN when there were none. */
export function hitRatio({ hit, miss, bypass }: CacheReads): number {
  return hit / (hit + miss + bypass);
}

const count = (value: number): string => Math.round(value).toLocaleString('en-US');
const ms = (value: number): string => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
const percent = (value: number): string => (Number.isNaN(value) ? 'n/a' : `${(value * 100).toFixed(1)} %`);

/**
 * A process's CPU over the window as a share of one core, and its GC pauses; with `requests`, its
 * CPU time per request, which other work on the machine disturbs less than requests/s.
 */
function usage(process: ProcessFigures, seconds: number, requests?: number): string {
  const each = requests === undefined || requests === 0 ? '' : ` (${count((process.cpuMs * 1000) / requests)} µs a request)`;
  return `CPU ${percent(process.cpuMs / 1000 / seconds)}${each}, GC ${count(process.gcPauses)} pauses (${count(process.gcMajor)} major) ${ms(process.gcMs)}, max ${ms(process.gcMaxMs)}`;
}

/**
 * One load's rows: the mode, its figures and whatever went wrong, then what the instance and the
 * load generator used over the `seconds` measured, and the cache's reads when `hitRatio` is asked for.
 */
export function row(mode: string, result: LoadResult, window: WindowFigures, { hitRatio: withReads = false, seconds }: { readonly hitRatio?: boolean; readonly seconds: number }): string {
  const figures = [`${count(result.requestsPerSecond).padStart(9)} req/s`, `p50 ${ms(result.p50Ms).padStart(7)}`, `p99 ${ms(result.p99Ms).padStart(7)}`];
  const { reads } = window;
  if (withReads) figures.push(`hit ratio ${percent(hitRatio(reads))} (${count(reads.hit)} hits, ${count(reads.miss)} misses, ${count(reads.bypass)} bypasses, ${count(reads.errors)} Redis errors, ${count(reads.invalidations)} invalidations)`);
  if (result.failures > 0) figures.push(`FAILURES ${count(result.failures)}: not a fair figure`);
  const lines = [`  ${mode.padEnd(16)} ${figures.join('   ')}`, `  ${''.padEnd(16)} service ${usage(window.process, seconds, result.requestsPerSecond * seconds)}; load generator ${usage(result.driver, seconds)}`];
  return lines.join('\n');
}

/** The verdict against a target. */
export function verdict(label: string, figure: string, met: boolean, target: string): string {
  return `  ${label.padEnd(34)} ${figure.padStart(10)}   ${met ? 'MET ' : 'MISS'} (target ${target})`;
}
