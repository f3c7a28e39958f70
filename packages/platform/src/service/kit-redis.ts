import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createCacheMetrics } from '../cache/metrics.js';
import { createReadCache, type ReadCache } from '../cache/read-cache.js';
import { closeRedisClient, createRedisClient } from '../cache/redis-client.js';
import { redisGate } from '../cache/redis-gate.js';
import { redisTokenRevocations, type RevocationCheck, type TokenRevocations } from '../http/auth/token-revocations.js';
import type { ReadinessCheck } from '../http/health.js';

/** Reads bypass Redis this long after one of its calls failed. */
const COOLDOWN_MS = 500;

/** Options for `kitRedis`. */
export interface KitRedisOptions {
  readonly service: string;
  /** `REDIS_URL`; without it nothing is cached and no token is revoked. */
  readonly url: string | undefined;
  /** `REDIS_TIMEOUT`: the bound on each command. */
  readonly commandTimeoutMs: number;
  /** `READ_CACHE_OFF`: the read cache bypasses Redis, every read loads. @default false */
  readonly cacheOff?: boolean;
  readonly namespace: string | undefined;
  readonly logger: Logger;
  readonly registry: Registry;
}

/** What the kit keeps in Redis, and the client's life: opened in `start` only if `build` used any of it. */
export interface KitRedis {
  readonly cache: ReadCache;
  readonly tokenRevocations: TokenRevocations;
  /** The check `requireAuth` runs, or `undefined` without Redis. */
  readonly revocationCheck: () => RevocationCheck | undefined;
  /** The optional `redis` check, once the service uses Redis. */
  readiness(): ReadinessCheck | undefined;
  /** Connects, bounded by the connect timeout; a Redis that is down is logged, and the client keeps trying. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The kit's Redis: one client for the service's read cache and the token revocations, connected only
 * when the service used one of them in `build`. Keys start `msa:[<namespace>:]`; the cache's add
 * `cache:<service>:`, the revocations' do not, since every service reads the ones the user service writes.
 */
export function kitRedis({ service, url, commandTimeoutMs, cacheOff = false, namespace, logger, registry }: KitRedisOptions): KitRedis {
  const prefix = namespace === undefined ? 'msa:' : `msa:${namespace}:`;
  const redis: Redis | undefined = url === undefined ? undefined : createRedisClient(url, { name: `${service}-service`, logger, commandTimeoutMs });
  const gate = redis === undefined ? undefined : redisGate(redis, COOLDOWN_MS);
  const log = logger.child({ component: 'redis' });
  let used = false;

  const cache = createReadCache({
    redis: cacheOff ? undefined : redis,
    ...(gate === undefined || cacheOff ? {} : { gate }),
    prefix: `${prefix}cache:${service}:`,
    logger,
    metrics: createCacheMetrics(registry),
  });
  const stored = redis === undefined || gate === undefined ? undefined : redisTokenRevocations({ redis, gate, prefix, logger, registry });
  const unrecorded: TokenRevocations = {
    revokeIssuedBefore(userId) {
      log.warn({ userId }, 'REDIS_URL is unset: tokens issued before this change stay valid until they expire');
      return Promise.resolve();
    },
  };

  return {
    get cache() {
      used = true;
      return cache;
    },
    get tokenRevocations() {
      used = true;
      return stored?.revocations ?? unrecorded;
    },
    revocationCheck() {
      used = true;
      return stored?.check;
    },
    readiness() {
      if (redis === undefined || !used) return undefined;
      return { name: 'redis', optional: true, check: () => redis.ping() };
    },
    async start() {
      if (redis === undefined && used) log.info('REDIS_URL is unset: reads are not cached and tokens are not checked for revocation');
      if (redis === undefined || !used) return;
      await redis.connect().catch((error: unknown) => {
        log.warn({ err: error }, 'redis unreachable at start; serving uncached and admitting tokens unchecked until it answers');
      });
    },
    async stop() {
      cache.close();
      if (redis !== undefined) await closeRedisClient(redis);
    },
  };
}
