import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { localServers } from '@msa/local';
import { closeRedisClient, createLogger, createRedisClient, redisGate, redisTokenRevocations } from '@msa/platform';
import { Registry, type Counter } from 'prom-client';
import { inParallel, startBenchCatalog, type RunningProductService, type SeededCatalog } from './catalog.js';
import { startLoadDriver, type LoadDriver, type LoadResult } from './load.js';
import { row, verdict } from './report.js';
import { loadSettings } from './settings.js';
import { skewedPicker } from './skew.js';
import type { WindowFigures } from './window.js';

// Loads the product service's detail and listing routes with autocannon, once on an instance without
// Redis and once on an instance with it, on the same seeded stores in the same run, and prints
// requests/s, p50/p99 and the cache's hit ratio. See README.md.

const settings = loadSettings();
const out = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

/**
 * Reads every distinct path once. autocannon's connections each walk only a stretch of the sample, so
 * without this a path first reached while measuring is a cold miss counted against a warm cache.
 */
async function touchEach(service: RunningProductService, paths: readonly string[]): Promise<void> {
  await inParallel([...new Set(paths)], 8, async (path) => {
    await (await fetch(`${service.url}${path}`, { signal: AbortSignal.timeout(10_000) })).arrayBuffer();
  });
}

/**
 * Warms `service` (every path read once, then the load unmeasured), then measures it; what the
 * instance counts (cache reads, CPU, GC) covers the measured part only.
 */
async function measure(
  driver: LoadDriver,
  service: RunningProductService,
  paths: readonly string[],
  connections: number,
  profile?: string,
): Promise<{ result: LoadResult; window: WindowFigures }> {
  const load = (seconds: number) => driver.run({ url: service.url, connections, seconds, paths: [...paths] });
  await touchEach(service, paths);
  if (settings.BENCH_WARMUP_SECONDS > 0) await load(settings.BENCH_WARMUP_SECONDS);
  await service.startWindow(profile);
  const result = await load(settings.BENCH_SECONDS);
  return { result, window: await service.endWindow() };
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

async function compare(
  driver: LoadDriver,
  { title, load }: { readonly title: string; readonly load: string },
  off: RunningProductService,
  on: RunningProductService,
  paths: readonly string[],
): Promise<void> {
  out(title);
  for (const connections of [settings.BENCH_CONNECTIONS, settings.BENCH_LATENCY_CONNECTIONS]) {
    const uncached = await measure(driver, off, paths, connections);
    out(row(`off, ${connections} conn`, uncached.result, uncached.window, { seconds: settings.BENCH_SECONDS }));
    const profile = settings.BENCH_PROFILE_DIR === undefined ? undefined : join(settings.BENCH_PROFILE_DIR, `${load}-${connections}.cpuprofile`);
    const cached = await measure(driver, on, paths, connections, profile);
    out(row(`on, ${connections} conn`, cached.result, cached.window, { hitRatio: true, seconds: settings.BENCH_SECONDS }));
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
/** The machine's load average: other work on its two cores shows in every figure. */
const loadAverage = (): string => `load average ${loadavg().map((load) => load.toFixed(2)).join(' ')} (1, 5, 15 min)`;
out(loadAverage());
if (settings.BENCH_PROFILE_DIR !== undefined) await mkdir(settings.BENCH_PROFILE_DIR, { recursive: true });
const bench = await startBenchCatalog();
const driver = startLoadDriver();
try {
  const seedStarted = performance.now();
  const catalog = await bench.seed(settings.BENCH_PRODUCTS, settings.BENCH_CATEGORIES);
  out(`seeded and projected in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
  const cached = await bench.startCached();
  out('');
  await compare(
    driver,
    { title: `product detail, ${settings.BENCH_HOT_REQUESTS} % of requests on ${settings.BENCH_HOT_PRODUCTS} % of the products`, load: 'detail' },
    bench.uncached,
    cached,
    detailPaths(catalog),
  );
  await compare(
    driver,
    { title: 'product listing, 20 a page: by name, by price, by category, by word', load: 'listing' },
    bench.uncached,
    cached,
    listingPaths(catalog),
  );
  await measureRevocationChecks(5_000);
  out(loadAverage());
} finally {
  await driver.close();
  await bench.close();
}
