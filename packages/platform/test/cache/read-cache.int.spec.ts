import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually, localServers, startStallingProxy, startSwitchableProxy, type SwitchableProxy } from '@msa/local';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import {
  closeRedisClient,
  createCacheMetrics,
  createLogger,
  createReadCache,
  createRedisClient,
  type CacheMetrics,
  type ReadCache,
} from '../../src/index.js';

const TIMEOUT_MS = 30_000;
const logger = createLogger({ service: 'cache-spec', level: 'silent' });
const redisUrl = new URL(localServers().redisUrl);

interface Product {
  readonly id: string;
  readonly price: number;
}

/** A cache of its own on a fresh prefix, as one replica of a service would have it. */
function replica(redis: Redis, prefix: string, metrics: CacheMetrics = createCacheMetrics(new Registry())): ReadCache {
  return createReadCache({ redis, prefix, logger, metrics });
}

/** A loader that counts its calls. */
function counting<T>(load: () => Promise<T>): { (): Promise<T>; calls: number } {
  const counted = Object.assign(() => {
    counted.calls += 1;
    return load();
  }, { calls: 0 });
  return counted;
}

/** A promise and the function that resolves it, to hold a loader at a chosen point. */
function gate(): { readonly opened: Promise<void>; open(): void } {
  const opener: { open?: () => void } = {};
  const opened = new Promise<void>((resolve) => {
    opener.open = resolve;
  });
  return { opened, open: () => opener.open?.() };
}

/**
 * A connected client. Specs of behaviour give commands a second: on a busy machine a stalled event
 * loop, not Redis, would trip the 50 ms default. The stall spec passes its own.
 */
async function connected(url: string, commandTimeoutMs = 1_000): Promise<Redis> {
  const redis = createRedisClient(url, { commandTimeoutMs, name: 'cache-spec', logger });
  // A busy machine can hold the event loop past the connect timeout; the client then keeps trying.
  await redis.connect().catch(() => undefined);
  await eventually(() => Promise.resolve(redis.status === 'ready' ? true : undefined));
  return redis;
}

describe('read cache on Redis', () => {
  let redis: Redis;
  let other: Redis;
  let prefix: string;

  beforeAll(async () => {
    redis = await connected(redisUrl.href);
    other = await connected(redisUrl.href);
  });
  afterAll(async () => {
    await closeRedisClient(redis);
    await closeRedisClient(other);
  });
  beforeEach(() => {
    prefix = `msa:spec-${randomUUID()}:cache:catalog:`;
  });

  it('given a cold key, when read twice, then the first read loads (miss) and the second is served from Redis (hit)', async () => {
    const products = replica(redis, prefix).family<Product>('product', { ttlSeconds: 60 });
    const load = counting(() => Promise.resolve({ id: 'p1', price: 100 }));

    const first = await products.read('p1', load);
    const second = await products.read('p1', load);

    expect(first).toEqual({ value: { id: 'p1', price: 100 }, source: 'miss' });
    expect(second).toEqual({ value: { id: 'p1', price: 100 }, source: 'hit' });
    expect(load.calls).toBe(1);
  });

  it('given a key the loader found nothing for, when read again, then the absence is served from Redis', async () => {
    const products = replica(redis, prefix).family<Product>('product', { ttlSeconds: 60 });
    const load = counting(() => Promise.resolve(undefined));

    await products.read('missing', load);
    const again = await products.read('missing', load);

    expect(again).toEqual({ value: undefined, source: 'hit' });
    expect(load.calls).toBe(1);
  });

  it('given a cached key, when invalidated, then the next read loads the new value', async () => {
    const products = replica(redis, prefix).family<Product>('product', { ttlSeconds: 60 });
    await products.read('p1', () => Promise.resolve({ id: 'p1', price: 100 }));

    await products.invalidate('p1');
    const next = await products.read('p1', () => Promise.resolve({ id: 'p1', price: 120 }));

    expect(next).toEqual({ value: { id: 'p1', price: 120 }, source: 'miss' });
  });

  it('given cached keys, when the family is invalidated as a whole, then every key loads again', async () => {
    const products = replica(redis, prefix).family<Product>('product', { ttlSeconds: 60 });
    await products.read('p1', () => Promise.resolve({ id: 'p1', price: 100 }));
    await products.read('p2', () => Promise.resolve({ id: 'p2', price: 200 }));

    await products.invalidateAll();

    expect((await products.read('p1', () => Promise.resolve({ id: 'p1', price: 101 }))).source).toBe('miss');
    expect((await products.read('p2', () => Promise.resolve({ id: 'p2', price: 201 }))).value).toEqual({ id: 'p2', price: 201 });
  });

  it('given a loader that read the old value before an update, when the update’s invalidation runs on another replica before the loader stores, then the old value is never served', async () => {
    const reader = replica(redis, prefix).family<Product>('product', { ttlSeconds: 60 });
    const writer = replica(other, prefix).family<Product>('product', { ttlSeconds: 60 });
    const readTheOldValue = gate();
    const invalidated = gate();

    // The loader reads MongoDB (price 100), then the update is applied and its invalidation runs,
    // and only then does the loader hand its old value to the cache.
    const racing = reader.read('p1', async () => {
      readTheOldValue.open();
      await invalidated.opened;
      return { id: 'p1', price: 100 };
    });
    await readTheOldValue.opened;
    await writer.invalidate('p1');
    invalidated.open();
    const late = await racing;
    const afterwards = await writer.read('p1', () => Promise.resolve({ id: 'p1', price: 120 }));

    expect(late).toEqual({ value: { id: 'p1', price: 100 }, source: 'miss' });
    expect(afterwards).toEqual({ value: { id: 'p1', price: 120 }, source: 'miss' });
  });

  it('given a load in flight in this process, when the key is invalidated, then a read that starts afterwards does not join the old load', async () => {
    const products = replica(redis, prefix).family<Product>('product', { ttlSeconds: 60 });
    const readTheOldValue = gate();
    const release = gate();
    const old = products.read('p1', async () => {
      readTheOldValue.open();
      await release.opened;
      return { id: 'p1', price: 100 };
    });
    await readTheOldValue.opened;

    await products.invalidate('p1');
    const fresh = await products.read('p1', () => Promise.resolve({ id: 'p1', price: 120 }));
    release.open();
    await old;

    expect(fresh).toEqual({ value: { id: 'p1', price: 120 }, source: 'miss' });
    expect(await products.read('p1', () => Promise.resolve({ id: 'p1', price: 0 }))).toEqual({ value: { id: 'p1', price: 120 }, source: 'hit' });
  });

  it('given a cold key, when 50 reads of it arrive at once, then the loader runs once and all 50 get its value', async () => {
    const products = replica(redis, prefix).family<Product>('product', { ttlSeconds: 60 });
    const load = counting(async () => {
      await sleep(20);
      return { id: 'p1', price: 100 };
    });

    const reads = await Promise.all(Array.from({ length: 50 }, () => products.read('p1', load)));

    expect(load.calls).toBe(1);
    expect(reads.every((read) => read.value?.price === 100)).toBe(true);
    expect(reads.filter((read) => read.source === 'miss')).toHaveLength(1);
  });

  it('given reads that joined another’s load, when the metrics are read, then each read is counted, the joined ones as hits', async () => {
    const registry = new Registry();
    const products = replica(redis, prefix, createCacheMetrics(registry)).family<Product>('product', { ttlSeconds: 60 });
    const load = async () => {
      await sleep(20);
      return { id: 'p1', price: 100 };
    };

    await Promise.all(Array.from({ length: 10 }, () => products.read('p1', load)));

    const text = await registry.metrics();
    expect(text).toContain('cache_reads_total{family="product",source="miss"} 1');
    expect(text).toContain('cache_reads_total{family="product",source="hit"} 9');
  });

  it('given a cold key, when two replicas read it at once, then only the lock holder loads and the other waits for its value', async () => {
    const first = replica(redis, prefix).family<Product>('product', { ttlSeconds: 60 });
    const second = replica(other, prefix).family<Product>('product', { ttlSeconds: 60 });
    const load = counting(async () => {
      await sleep(50);
      return { id: 'p1', price: 100 };
    });

    const reads = await Promise.all([...Array.from({ length: 25 }, () => first.read('p1', load)), ...Array.from({ length: 25 }, () => second.read('p1', load))]);

    expect(load.calls).toBe(1);
    expect(new Set(reads.map((read) => read.source))).toEqual(new Set(['miss', 'hit']));
  });

  it('given a replica holding a key’s lock whose load hangs, when another replica reads it, then it loads itself once the wait is over', async () => {
    const stuck = replica(redis, prefix).family<Product>('product', { ttlSeconds: 60 });
    const patient = replica(other, prefix).family<Product>('product', { ttlSeconds: 60 });
    const release = gate();
    const hanging = stuck.read('p1', async () => {
      await release.opened;
      return { id: 'p1', price: 100 };
    });
    await sleep(20);

    const started = Date.now();
    const read = await patient.read('p1', () => Promise.resolve({ id: 'p1', price: 100 }));
    const waitedMs = Date.now() - started;
    release.open();
    await hanging;

    expect(read.source).toBe('miss');
    expect(waitedMs).toBeGreaterThanOrEqual(150);
    expect(waitedMs).toBeLessThan(1_000);
  });

  it('given a loader that rejects, when read, then the read rejects and the next read loads again', async () => {
    const products = replica(redis, prefix).family<Product>('product', { ttlSeconds: 60 });

    await expect(products.read('p1', () => Promise.reject(new Error('mongo said no')))).rejects.toThrow('mongo said no');
    const next = await products.read('p1', () => Promise.resolve({ id: 'p1', price: 100 }));

    expect(next.source).toBe('miss');
  });

  it('given two families of one name on different prefixes, when both read one key, then neither sees the other’s entry', async () => {
    const mine = replica(redis, prefix).family<Product>('product', { ttlSeconds: 60 });
    const theirs = replica(redis, `msa:spec-${randomUUID()}:cache:catalog:`).family<Product>('product', { ttlSeconds: 60 });
    await mine.read('p1', () => Promise.resolve({ id: 'p1', price: 100 }));

    const read = await theirs.read('p1', () => Promise.resolve({ id: 'p1', price: 999 }));

    expect(read).toEqual({ value: { id: 'p1', price: 999 }, source: 'miss' });
  });

  it('given a family, when reads hit and miss, then the metrics count them by family and source', async () => {
    const registry = new Registry();
    const products = replica(redis, prefix, createCacheMetrics(registry)).family<Product>('product', { ttlSeconds: 60 });

    await products.read('p1', () => Promise.resolve({ id: 'p1', price: 100 }));
    await products.read('p1', () => Promise.resolve({ id: 'p1', price: 100 }));
    await products.invalidate('p1');

    const text = await registry.metrics();
    expect(text).toContain('cache_reads_total{family="product",source="miss"} 1');
    expect(text).toContain('cache_reads_total{family="product",source="hit"} 1');
    expect(text).toContain('cache_invalidations_total{family="product",scope="key"} 1');
    expect(text).toContain('cache_load_duration_seconds_count{family="product"} 1');
  });
});

describe('read cache when Redis is away', () => {
  let proxy: SwitchableProxy;
  let redis: Redis;
  let prefix: string;

  beforeEach(async () => {
    prefix = `msa:spec-${randomUUID()}:cache:catalog:`;
    proxy = await startSwitchableProxy(redisUrl.hostname, Number(redisUrl.port));
    redis = await connected(`redis://127.0.0.1:${proxy.port}`);
  });
  afterEach(async () => {
    await closeRedisClient(redis);
    await proxy.close();
  });

  it('given Redis is down, when read, then the loader answers at once (bypass) and nothing waits for Redis', async () => {
    const registry = new Registry();
    const products = replica(redis, prefix, createCacheMetrics(registry)).family<Product>('product', { ttlSeconds: 60 });
    proxy.cut();
    await eventually(() => Promise.resolve(redis.status === 'ready' ? undefined : true));

    const started = performance.now();
    const read = await products.read('p1', () => Promise.resolve({ id: 'p1', price: 100 }));
    const tookMs = performance.now() - started;

    expect(read).toEqual({ value: { id: 'p1', price: 100 }, source: 'bypass' });
    // Far below this client's 1 s command timeout: nothing waited for Redis.
    expect(tookMs).toBeLessThan(250);
    expect(await registry.metrics()).toContain('cache_reads_total{family="product",source="bypass"} 1');
  });

  it('given an invalidation lost while Redis was down, when Redis answers again, then the entry cached before is never served', async () => {
    const products = replica(redis, prefix).family<Product>('product', { ttlSeconds: 60 });
    await products.read('p1', () => Promise.resolve({ id: 'p1', price: 100 }));
    proxy.cut();
    await eventually(() => Promise.resolve(redis.status === 'ready' ? undefined : true));

    await products.invalidate('p1');
    const during = await products.read('p1', () => Promise.resolve({ id: 'p1', price: 120 }));
    proxy.restore();
    await eventually(() => Promise.resolve(redis.status === 'ready' ? true : undefined));
    const after = await eventually(async () => {
      const read = await products.read('p1', () => Promise.resolve({ id: 'p1', price: 120 }));
      return read.source === 'bypass' ? undefined : read;
    });

    expect(during).toEqual({ value: { id: 'p1', price: 120 }, source: 'bypass' });
    expect(after).toEqual({ value: { id: 'p1', price: 120 }, source: 'miss' });
  }, TIMEOUT_MS);

  it('given an invalidation lost while Redis was down, when Redis answers again, then other replicas stop serving the old entry too', async () => {
    const direct = await connected(redisUrl.href);
    const cut = replica(redis, prefix).family<Product>('product', { ttlSeconds: 60 });
    const healthy = replica(direct, prefix).family<Product>('product', { ttlSeconds: 60 });
    await healthy.read('p1', () => Promise.resolve({ id: 'p1', price: 100 }));
    proxy.cut();
    await eventually(() => Promise.resolve(redis.status === 'ready' ? undefined : true));

    await cut.invalidate('p1');
    proxy.restore();
    const after = await eventually(async () => {
      const read = await healthy.read('p1', () => Promise.resolve({ id: 'p1', price: 120 }));
      return read.source === 'hit' && read.value?.price === 100 ? undefined : read;
    });
    await closeRedisClient(direct);

    expect(after).toEqual({ value: { id: 'p1', price: 120 }, source: 'miss' });
  }, TIMEOUT_MS);

  it('given Redis stops answering, when read, then the first read waits at most the command timeout and the next ones bypass at once', async () => {
    const stalling = await startStallingProxy(redisUrl.hostname, Number(redisUrl.port));
    const stalled = await connected(`redis://127.0.0.1:${stalling.port}`, 50);
    const products = replica(stalled, prefix).family<Product>('product', { ttlSeconds: 60 });
    stalling.freeze();

    const firstStarted = performance.now();
    const first = await products.read('p1', () => Promise.resolve({ id: 'p1', price: 100 }));
    const firstMs = performance.now() - firstStarted;
    const nextStarted = performance.now();
    const next = await products.read('p1', () => Promise.resolve({ id: 'p1', price: 100 }));
    const nextMs = performance.now() - nextStarted;
    stalled.disconnect();
    await stalling.close();

    expect(first.source).toBe('bypass');
    expect(firstMs).toBeLessThan(250);
    expect(next.source).toBe('bypass');
    // Under the 50 ms timeout: the cool-down skipped Redis rather than waiting on it again.
    expect(nextMs).toBeLessThan(50);
  });

  it('given no Redis configured, when read, then every read loads and invalidations do nothing', async () => {
    const products = createReadCache({ redis: undefined, prefix, logger, metrics: createCacheMetrics(new Registry()) }).family<Product>('product', {
      ttlSeconds: 60,
    });

    await products.invalidate('p1');
    const read = await products.read('p1', () => Promise.resolve({ id: 'p1', price: 100 }));

    expect(read.source).toBe('bypass');
  });
});
