import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { cacheFamily, type CacheFamily, type CacheFamilyOptions } from './family.js';
import type { CacheMetrics } from './metrics.js';
import { redisGate, type RedisGate } from './redis-gate.js';

/** Options for `createReadCache`. */
export interface ReadCacheOptions {
  /** The service's Redis client; without one every read loads (`bypass`) and invalidations are no-ops. */
  readonly redis: Redis | undefined;
  /** Put before every key: `msa:[<namespace>:]cache:<service>:`, so services and tests sharing one Redis stay apart. */
  readonly prefix: string;
  readonly logger: Logger;
  readonly metrics: CacheMetrics;
  /** Shared with the other users of the client (the token revocations), so one failure pauses them all. @default a gate of its own */
  readonly gate?: RedisGate;
  /** How long a read that finds another replica loading the key waits for its value before loading itself. @default 200 */
  readonly lockWaitMs?: number;
  /** How long a load lock lasts if its holder never releases it. @default 2000 */
  readonly lockTtlMs?: number;
  /** After a Redis call fails or times out, reads bypass Redis for this long, so a stalled server costs one request its timeout, not every one. @default 500 */
  readonly cooldownMs?: number;
  /** How often a family whose invalidation failed retries its generation bump. @default 250 */
  readonly repairIntervalMs?: number;
}

/** The cache a service's `build` gets as `kit.cache`. */
export interface ReadCache {
  /**
   * The family `name` (letters, digits, `.`, `_`, `-`): a kind of query result with a TTL of its
   * own, invalidated by key or as a whole. Asking twice for one name returns the same family.
   *
   * @throws RangeError for a bad name or TTL, or a name asked for before with another TTL.
   */
  family<T>(name: string, options: CacheFamilyOptions): CacheFamily<T>;
  /** Stops the families' repair timers; reads then bypass. */
  close(): void;
}

const FAMILY_NAME = /^[\w.-]{1,64}$/;

/** A cache-aside read cache on Redis; see `packages/platform/src/cache/DESIGN.md`. */
export function createReadCache({
  redis,
  prefix,
  logger,
  metrics,
  gate: shared,
  lockWaitMs = 200,
  lockTtlMs = 2_000,
  cooldownMs = 500,
  repairIntervalMs = 250,
}: ReadCacheOptions): ReadCache {
  const log = logger.child({ component: 'cache' });
  const gate: RedisGate | undefined = redis === undefined ? undefined : (shared ?? redisGate(redis, cooldownMs));
  const families = new Map<string, { ttlSeconds: number; family: CacheFamily<unknown> & { close(): void } }>();
  let closed = false;

  return {
    family<T>(name: string, options: CacheFamilyOptions): CacheFamily<T> {
      if (!FAMILY_NAME.test(name)) throw new RangeError(`cache family name must be 1 to 64 letters, digits, ., _ or -, got "${name}"`);
      const known = families.get(name);
      if (known !== undefined) {
        if (known.ttlSeconds !== options.ttlSeconds) throw new RangeError(`cache family ${name} exists with ttlSeconds ${known.ttlSeconds}`);
        return known.family as CacheFamily<T>;
      }
      const family = cacheFamily<T>({
        name,
        ...options,
        redis,
        gate,
        prefix: `${prefix}{${name}}:`,
        logger: log.child({ family: name }),
        metrics,
        lockWaitMs,
        lockTtlMs,
        repairIntervalMs,
        isClosed: () => closed,
      });
      families.set(name, { ttlSeconds: options.ttlSeconds, family });
      return family;
    },
    close() {
      closed = true;
      for (const { family } of families.values()) family.close();
    },
  };
}
