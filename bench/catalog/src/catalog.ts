import { randomUUID } from 'node:crypto';
import { deadLetterTopicFor, eventTopics, topicsConsumedBy } from '@msa/contracts';
import { createTestDatabase, createTestMongoDatabase, createTestTopics, localServers, type TestDatabase, type TestMongoDatabase } from '@msa/local';
import { createKafka, createLogger, createTokenIssuer, generateSigningKey, toVerificationJwk } from '@msa/platform';
import type { Admin } from 'kafkajs';
import { z } from 'zod';
import { forkProgram, type ChildProgram } from './ipc.js';
import type { InstanceRequest } from './protocol.js';
import { WindowFigures } from './window.js';

/** A product service instance in a process of its own, listening on an ephemeral port. */
export interface RunningProductService {
  readonly url: string;
  /**
   * Opens a measured window: the instance counts its cache reads, CPU time and GC pauses from here,
   * and writes a CPU profile of the window to `profile` when given one.
   */
  startWindow(profile?: string): Promise<void>;
  /** Closes it and answers what the instance counted. */
  endWindow(): Promise<WindowFigures>;
}

/** What the catalog was seeded with, for the loads to spread over. */
export interface SeededCatalog {
  /** In creation order; the loads take the first ones as the hot ones. */
  readonly productIds: readonly string[];
  readonly categoryIds: readonly string[];
  /** Words every product name draws from, for search listings. */
  readonly words: readonly string[];
}

/** The bench's stores, topics and product service instances, and their teardown. */
export interface BenchCatalog {
  /** The instance without `REDIS_URL`: every read goes to MongoDB. */
  readonly uncached: RunningProductService;
  /** Started by `startCached`, on the same stores, with `REDIS_URL`. */
  startCached(): Promise<RunningProductService>;
  seed(products: number, categories: number): Promise<SeededCatalog>;
  close(): Promise<void>;
}

const WORDS = ['oak', 'steel', 'linen', 'amber', 'slate', 'cedar', 'copper', 'wool'] as const;
const SEED_CONCURRENCY = 16;

function testTopics(namespace: string): { topic: string; numPartitions: number }[] {
  return topicsConsumedBy('product.read-model').flatMap((name) => {
    const partitions = eventTopics.find((t) => t.name === name)?.partitions ?? 1;
    const topic = `${name}.${namespace}`;
    return [topic, deadLetterTopicFor(topic)].map((t) => ({ topic: t, numPartitions: partitions }));
  });
}

/** Forks `instance.ts` and has it build, start and listen with `environment`. */
async function startInstance(name: string, environment: Readonly<Record<string, string>>, namespace: string): Promise<{ running: RunningProductService; close: () => Promise<void> }> {
  const child: ChildProgram<InstanceRequest> = forkProgram(new URL('./instance.js', import.meta.url));
  try {
    const url = await child.ask({ type: 'start', name, environment, namespace }, z.string());
    return {
      running: {
        url,
        startWindow: async (profile) => {
          await child.ask({ type: 'window-start', ...(profile === undefined ? {} : { profile }) }, z.null());
        },
        endWindow: () => child.ask({ type: 'window-end' }, WindowFigures),
      },
      async close() {
        await child.ask({ type: 'stop' }, z.null());
        await child.close(10_000);
      },
    };
  } catch (error) {
    await child.close(10_000);
    throw error;
  }
}

async function post(url: string, bearer: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: bearer, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status !== 201) throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { id: string };
}

/** Runs `work` over `items`, `concurrency` at a time, keeping the results in order. */
export async function inParallel<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
}

/**
 * Two product service instances, each in a process of its own (`instance.ts`), on a database, a
 * MongoDB database and topics of the bench's own. The uncached instance starts first and takes the
 * seed; the cached one starts once the read models have it, on the same stores, so its cache starts
 * cold and no event it would have to invalidate for arrives during the loads.
 */
export async function startBenchCatalog(): Promise<BenchCatalog> {
  const servers = localServers();
  const logger = createLogger({ service: 'bench-catalog', level: 'warn' });
  const namespace = `bench${randomUUID().replaceAll('-', '').slice(0, 8)}`;
  const database: TestDatabase = await createTestDatabase('bench_catalog');
  const mongo: TestMongoDatabase = await createTestMongoDatabase('bench_catalog');
  const admin: Admin = createKafka({ clientId: 'bench-catalog', brokers: servers.kafkaBrokers, logger }).admin();
  await admin.connect();
  const topics = testTopics(namespace);
  await createTestTopics(admin, topics);
  const key = await generateSigningKey({ kid: `bench-${namespace}` });
  const environment = {
    DATABASE_URL: database.url,
    KAFKA_BROKERS: servers.kafkaBrokers.join(','),
    MONGO_URL: servers.mongoUrl,
    MONGO_DATABASE: mongo.name,
    JWT_PUBLIC_KEYS: JSON.stringify({ keys: [toVerificationJwk(key)] }),
    LOG_LEVEL: 'warn',
  };
  const tokens = await createTokenIssuer({ privateJwk: key, issuer: 'msa-ecommerce/user', audience: 'msa-ecommerce', ttlMs: 3_600_000 });
  const closers: (() => Promise<void>)[] = [];

  const start = async (name: string, variables: Readonly<Record<string, string>>) => {
    const started = await startInstance(name, { ...environment, ...variables }, namespace);
    closers.unshift(started.close);
    return started.running;
  };
  const uncached = await start('bench-catalog-uncached', {});

  return {
    uncached,
    startCached: () => start('bench-catalog-cached', { REDIS_URL: servers.redisUrl }),
    async seed(products, categories) {
      const { token } = await tokens.issue({ userId: randomUUID(), email: 'bench-admin@example.com', roles: ['admin'] });
      const bearer = `Bearer ${token}`;
      const categoryIds = (
        await inParallel(Array.from({ length: categories }, (_, i) => i), SEED_CONCURRENCY, (i) =>
          post(`${uncached.url}/api/categories`, bearer, { name: `Category ${i}` }),
        )
      ).map((created) => created.id);
      const productIds = (
        await inParallel(Array.from({ length: products }, (_, i) => i), SEED_CONCURRENCY, (i) =>
          post(`${uncached.url}/api/products`, bearer, {
            sku: `BENCH-${i}`,
            name: `${WORDS[i % WORDS.length] ?? 'oak'} ${WORDS[(i * 7 + 3) % WORDS.length] ?? 'wool'} chair ${i}`,
            description: `Seeded product ${i} for the catalog bench`,
            categoryId: categoryIds[i % categoryIds.length],
            price: { amountMinor: 100 + ((i * 7_919) % 99_900), currency: 'USD' },
          }),
        )
      ).map((created) => created.id);
      await caughtUp(uncached.url, productIds);
      return { productIds, categoryIds, words: WORDS };
    },
    async close() {
      for (const close of closers) await close();
      await mongo.drop();
      await admin.deleteTopics({ topics: topics.map((t) => t.topic) }).catch(() => undefined);
      await admin.disconnect();
      await database.drop();
    },
  };
}

/** Waits until the read model serves every seeded product: the loads must not measure 404s. */
async function caughtUp(url: string, productIds: readonly string[]): Promise<void> {
  const deadline = Date.now() + 600_000;
  let missing = [...productIds];
  while (missing.length > 0) {
    if (Date.now() > deadline) throw new Error(`${missing.length} seeded products never reached the read model`);
    const found = await inParallel(missing, SEED_CONCURRENCY, async (id) => (await fetch(`${url}/api/products/${id}`, { signal: AbortSignal.timeout(10_000) })).status === 200);
    missing = missing.filter((_, i) => found[i] !== true);
    if (missing.length > 0) await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
