import type { LoadResult } from './load.js';

/** Cache reads by source, as counted over one load. */
export interface CacheReads {
  readonly hit: number;
  readonly miss: number;
  readonly bypass: number;
  /** Redis calls of the cache that failed or timed out: a write that failed leaves its key to miss again. */
  readonly errors: number;
  /** Invalidations the service ran: each drops an entry, so a run without events should see none. */
  readonly invalidations: number;
}

/** The share of reads served from Redis; NaN when there were none. */
export function hitRatio({ hit, miss, bypass }: CacheReads): number {
  return hit / (hit + miss + bypass);
}

const count = (value: number): string => Math.round(value).toLocaleString('en-US');
const ms = (value: number): string => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
const percent = (value: number): string => (Number.isNaN(value) ? 'n/a' : `${(value * 100).toFixed(1)} %`);

/** One row: the mode, its figures, and whatever went wrong. */
export function row(mode: string, result: LoadResult, reads?: CacheReads): string {
  const figures = [`${count(result.requestsPerSecond).padStart(9)} req/s`, `p50 ${ms(result.p50Ms).padStart(7)}`, `p99 ${ms(result.p99Ms).padStart(7)}`];
  if (reads !== undefined) figures.push(`hit ratio ${percent(hitRatio(reads))} (${count(reads.hit)} hits, ${count(reads.miss)} misses, ${count(reads.bypass)} bypasses, ${count(reads.errors)} Redis errors, ${count(reads.invalidations)} invalidations)`);
  if (result.failures > 0) figures.push(`FAILURES ${count(result.failures)}: not a fair figure`);
  return `  ${mode.padEnd(16)} ${figures.join('   ')}`;
}

/** The verdict against a target. */
export function verdict(label: string, figure: string, met: boolean, target: string): string {
  return `  ${label.padEnd(34)} ${figure.padStart(10)}   ${met ? 'MET ' : 'MISS'} (target ${target})`;
}
