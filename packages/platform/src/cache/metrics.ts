import { Counter, Histogram, type Registry } from 'prom-client';

/** The read cache's metrics, all labelled by cache family. */
export interface CacheMetrics {
  /** `cache_reads_total{family,source}`: `source` is `hit`, `miss` or `bypass` (Redis not asked or not answering). */
  readonly reads: Counter<'family' | 'source'>;
  /** `cache_load_duration_seconds{family}`: the loader's time on a miss or a bypass. */
  readonly loadDuration: Histogram<'family'>;
  /** `cache_invalidations_total{family,scope}`: `scope` is `key` or `all`. */
  readonly invalidations: Counter<'family' | 'scope'>;
  /** `cache_errors_total{family,operation}`: Redis calls that failed or timed out; `operation` is `read`, `write`, `invalidate` or `repair`. */
  readonly errors: Counter<'family' | 'operation'>;
}

/** The names of the read cache's metrics, keyed as `CacheMetrics` is. */
export const cacheMetricNames = {
  reads: 'cache_reads_total',
  loadDuration: 'cache_load_duration_seconds',
  invalidations: 'cache_invalidations_total',
  errors: 'cache_errors_total',
} as const satisfies Record<keyof CacheMetrics, string>;

/**
 * Registers the cache's metrics on `registry`, or returns the ones already there, so two caches of
 * one process (two services in one test, say) share them instead of failing on a duplicate name.
 */
export function createCacheMetrics(registry: Registry): CacheMetrics {
  const registers = [registry];
  return {
    reads: (registry.getSingleMetric(cacheMetricNames.reads) as Counter<'family' | 'source'> | undefined) ??
      new Counter({ name: cacheMetricNames.reads, help: 'Cache reads by family and source (hit, miss, bypass)', labelNames: ['family', 'source'], registers }),
    loadDuration: (registry.getSingleMetric(cacheMetricNames.loadDuration) as Histogram<'family'> | undefined) ??
      new Histogram({
        name: cacheMetricNames.loadDuration,
        help: 'Time the loader of a cache family took on a miss or a bypass',
        labelNames: ['family'],
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
        registers,
      }),
    invalidations: (registry.getSingleMetric(cacheMetricNames.invalidations) as Counter<'family' | 'scope'> | undefined) ??
      new Counter({ name: cacheMetricNames.invalidations, help: 'Cache invalidations by family and scope (key, all)', labelNames: ['family', 'scope'], registers }),
    errors: (registry.getSingleMetric(cacheMetricNames.errors) as Counter<'family' | 'operation'> | undefined) ??
      new Counter({ name: cacheMetricNames.errors, help: 'Redis calls of the cache that failed or timed out, by family and operation', labelNames: ['family', 'operation'], registers }),
  };
}
