import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { localServers } from '@msa/local';
import { closeRedisClient, createLogger, createRedisClient, redisGate, redisTokenRevocations, type PlatformMetrics } from '@msa/platform';
import { Registry, type Counter } from 'prom-client';
import { inParallel, startBenchCatalog, type RunningProductService, type SeededCatalog } from './catalog.js';
import { runLoad, type LoadResult } from './load.js';
import { row, verdict, type CacheReads } from './report.js';
import { loadSettings } from './settings.js';
import { skewedPicker } from './skew.js';

// Loads the product service's detail and listing routes with autocannon, once on an instance without
// Redis and once on an instance with it, on the same seeded stores in the same run, and prints
// requests/s, p50/p99 and the cache's hit ratio. See README.md.

const settings = loadSettings();
const out = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

async function cacheReads(metrics: PlatformMetrics): Promise<CacheReads> {
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

const since = (after: CacheReads, before: CacheReads): CacheReads => ({
  hit: after.hit - before.hit,
  miss: after.miss - before.miss,
  bypass: after.bypass - before.bypass,
  errors: after.errors - before.errors,
  invalidations: after.invalidations - before.invalidations,
});

/**
 * Reads every distinct path once. autocannon's connections each walk only a stretch of the sample, so
 * without this a path first reached while measuring is a cold miss counted against a warm cache.
 */
async function touchEach(service: RunningProductService, paths: readonly string[]): Promise<void> {
  await inParallel([...new Set(paths)], 8, async (path) => {
    await (await fetch(`${service.url}${path}`, { signal: AbortSignal.timeout(10_000) })).arrayBuffer();
  });
}

/** Warms `service` (every path read once, then the load unmeasured), then measures it; the cache reads counted over the measured part only. */
async function measure(service: RunningProductService, paths: readonly string[], connections: number): Promise<{ result: LoadResult; reads: CacheReads }> {
  const load = (seconds: number) => runLoad({ url: service.url, connections, seconds, paths });
  await touchEach(service, paths);
  if (settings.BENCH_WARMUP_SECONDS > 0) await load(settings.BENCH_WARMUP_SECONDS);
  const before = await cacheReads(service.metrics);
  const result = await load(settings.BENCH_SECONDS);
  return { result, reads: since(await cacheReads(service.metrics), before) };
}

// Enough paths that every connection walks a long stretch of the mix before it repeats.
const SAMPLE = 10_000;

function detailPaths(catalog: SeededCatalog): string[] {
  const pick = skewedPicker(catalog.productIds, {
    hotShare: settings.BENCH_HOT_REQUESTS / 100,
    hotItems: Math.round((catalog.productIds.length * settings.BENCH_HOT_PRODUCTS) / 100),
  });
  return Array.from({ length: SAMPLE }, () => `/api/products/${pick()}`);
}

/** A few listing shapes: the first page by name and by price, a category's page, a word search. */
function listingPaths(catalog: SeededCatalog): string[] {
  const anyOf = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
  const shapes = [
    () => '/api/products?limit=20',
    () => '/api/products?sort=price&limit=20',
    () => `/api/products?category=${anyOf(catalog.categoryIds)}&limit=20`,
    () => `/api/products?q=${anyOf(catalog.words)}&limit=20`,
  ];
  return Array.from({ length: SAMPLE }, () => anyOf(shapes)());
}

async function compare(title: string, off: RunningProductService, on: RunningProductService, paths: readonly string[]): Promise<void> {
  out(title);
  for (const connections of [settings.BENCH_CONNECTIONS, settings.BENCH_LATENCY_CONNECTIONS]) {
    const uncached = await measure(off, paths, connections);
    out(row(`off, ${connections} conn`, uncached.result));
    const cached = await measure(on, paths, connections);
    out(row(`on, ${connections} conn`, cached.result, cached.reads));
    const ratio = cached.result.requestsPerSecond / uncached.result.requestsPerSecond;
    const measured = Number.isFinite(ratio) && cached.result.requestsPerSecond > 0;
    out(verdict(`req/s on over off, ${connections} conn`, measured ? `${ratio.toFixed(1)}x` : 'n/a', measured && ratio >= 5, '≥ 5x'));
    out(verdict(`cached p99, ${connections} conn`, measured ? `${cached.result.p99Ms.toFixed(1)} ms` : 'n/a', measured && cached.result.p99Ms <= 5, '≤ 5 ms'));
  }
  out('');
}

/** One revocation check (a GET of the user's key) after another, as `requireAuth` runs it per request. */
async function measureRevocationChecks(checks: number): Promise<void> {
  const logger = createLogger({ service: 'bench-catalog', level: 'warn' });
  const redis = createRedisClient(localServers().redisUrl, { name: 'bench-catalog', logger });
  await redis.connect();
  const registry = new Registry();
  const { check } = redisTokenRevocations({ redis, gate: redisGate(redis, 500), prefix: `msa:bench-${randomUUID()}:`, logger, registry });
  const times: number[] = [];
  for (let i = 0; i < checks; i += 1) {
    const started = performance.now();
    await check(randomUUID(), Date.now());
    times.push(performance.now() - started);
  }
  await closeRedisClient(redis);
  times.sort((a, b) => a - b);
  const at = (p: number) => (times[Math.min(times.length - 1, Math.floor(times.length * p))] ?? Number.NaN).toFixed(3);
  const outcomes = await (registry.getSingleMetric('auth_revocation_checks_total') as Counter<'outcome'>).get();
  const counted = outcomes.values.map(({ labels, value }) => `${value} ${String(labels.outcome)}`).join(', ');
  out(`token revocation check, ${checks.toLocaleString('en-US')} in a row: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms (${counted})`);
}

out(`catalog bench: ${settings.BENCH_PRODUCTS.toLocaleString('en-US')} products in ${settings.BENCH_CATEGORIES} categories, ${settings.BENCH_CONNECTIONS} then ${settings.BENCH_LATENCY_CONNECTIONS} connections, ${settings.BENCH_WARMUP_SECONDS} s warm-up + ${settings.BENCH_SECONDS} s per load, ${availableParallelism()} CPUs`);
const bench = await startBenchCatalog();
try {
  const seedStarted = performance.now();
  const catalog = await bench.seed(settings.BENCH_PRODUCTS, settings.BENCH_CATEGORIES);
  out(`seeded and projected in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
  const cached = await bench.startCached();
  out('');
  await compare(
    `product detail, ${settings.BENCH_HOT_REQUESTS} % of requests on ${settings.BENCH_HOT_PRODUCTS} % of the products`,
    bench.uncached,
    cached,
    detailPaths(catalog),
  );
  await compare('product listing, 20 a page: by name, by price, by category, by word', bench.uncached, cached, listingPaths(catalog));
  await measureRevocationChecks(5_000);
} finally {
  await bench.close();
}
