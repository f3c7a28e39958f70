import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import type { PlatformMetrics } from '@msa/platform';
import type { Counter } from 'prom-client';
import { z } from 'zod';

/** Cache reads by source, as counted over one load. */
export const CacheReads = z.object({
  hit: z.number(),
  miss: z.number(),
  bypass: z.number(),
  /** Redis calls of the cache that failed or timed out: a write that failed leaves its key to miss again. */
  errors: z.number(),
  /** Invalidations the service ran: each drops an entry, so a run without events should see none. */
  invalidations: z.number(),
});
export type CacheReads = z.output<typeof CacheReads>;

/** What a process did over a measured window, besides answering: its CPU time and its GC pauses. */
export const ProcessFigures = z.object({
  /** User and system CPU time, in ms: a process near one core per second of window is saturated. */
  cpuMs: z.number(),
  gcPauses: z.number(),
  /** Of those, full mark-compact collections, whose pauses grow with the heap rather than with what a request allocates. */
  gcMajor: z.number(),
  gcMs: z.number(),
  gcMaxMs: z.number(),
});
export type ProcessFigures = z.output<typeof ProcessFigures>;

/** What an instance counted over a measured window. */
export const WindowFigures = z.object({ reads: CacheReads, process: ProcessFigures });
export type WindowFigures = z.output<typeof WindowFigures>;

/** Counts this process's CPU time and GC pauses from `start()` to `end()`. */
export function processWindow(): { start(): void; end(): ProcessFigures } {
  let pauses: PerformanceEntry[] = [];
  let cpu = process.cpuUsage();
  let open = false;
  const observer = new PerformanceObserver((list) => {
    if (open) pauses.push(...list.getEntries());
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    start() {
      pauses = [];
      cpu = process.cpuUsage();
      open = true;
    },
    end() {
      open = false;
      const used = process.cpuUsage(cpu);
      return {
        cpuMs: (used.user + used.system) / 1000,
        gcPauses: pauses.length,
        gcMajor: pauses.filter(isMajor).length,
        gcMs: pauses.reduce((total, pause) => total + pause.duration, 0),
        gcMaxMs: Math.max(0, ...pauses.map((pause) => pause.duration)),
      };
    },
  };
}

function isMajor(entry: PerformanceEntry): boolean {
  // GC entries carry their kind in `detail`, which the base type does not declare.
  const { detail } = entry as PerformanceEntry & { readonly detail?: { readonly kind?: number } };
  const kind = detail?.kind;
  return kind === constants.NODE_PERFORMANCE_GC_MAJOR;
}

/** The cache's counters as the instance's metrics hold them now; a window is the difference of two. */
export async function cacheReads(metrics: PlatformMetrics): Promise<CacheReads> {
  const reads = metrics.registry.getSingleMetric('cache_reads_total') as Counter<'family' | 'source'> | undefined;
  const errors = metrics.registry.getSingleMetric('cache_errors_total') as Counter<'family' | 'operation'> | undefined;
  const invalidations = metrics.registry.getSingleMetric('cache_invalidations_total') as Counter<'family' | 'scope'> | undefined;
  const totals = { hit: 0, miss: 0, bypass: 0, errors: 0, invalidations: 0 };
  for (const { labels, value } of (await reads?.get())?.values ?? []) {
    const source = labels.source;
    if (source === 'hit' || source === 'miss' || source === 'bypass') totals[source] += value;
  }
  for (const { value } of (await errors?.get())?.values ?? []) totals.errors += value;
  for (const { value } of (await invalidations?.get())?.values ?? []) totals.invalidations += value;
  return totals;
}

/** The counts of `after` less those of `before`. */
export function since(after: CacheReads, before: CacheReads): CacheReads {
  return {
    hit: after.hit - before.hit,
    miss: after.miss - before.miss,
    bypass: after.bypass - before.bypass,
    errors: after.errors - before.errors,
    invalidations: after.invalidations - before.invalidations,
  };
}
