/**
 * The metrics every service's `/metrics` carries, by name and with the functions that register them:
 * the `@msa/platform/metrics` entry, which loads prom-client alone, for dashboards and alert rules.
 */
export { cacheMetricNames, createCacheMetrics, type CacheMetrics } from '../cache/metrics.js';
export {
  createMetricsRegistry,
  createPlatformMetrics,
  platformMetricNames,
  processMetricNames,
  type PlatformMetrics,
} from './metrics.js';
