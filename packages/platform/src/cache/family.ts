import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { CacheMetrics } from './metrics.js';
import type { RedisGate } from './redis-gate.js';
import { redisScript, type RedisScript } from './redis-script.js';
import { INVALIDATE_SCRIPT, READ_SCRIPT, WRITE_SCRIPT } from './scripts.js';

/** What a family is declared with. */
export interface CacheFamilyOptions {
  /** How long an entry lives if no invalidation removes it first: a backstop, not the freshness rule. */
  readonly ttlSeconds: number;
}

/** Where a read's value came from: the cache, the loader after a miss, or the loader without Redis. */
export type CacheSource = 'hit' | 'miss' | 'bypass';

/** A read's value (`undefined`: the loader found nothing, which is cached too) and its source. */
export interface CacheRead<T> {
  readonly value: T | undefined;
  readonly source: CacheSource;
}

/** One kind of cached query result. Values must survive `JSON.stringify` unchanged (plain documents, no `Date`). */
export interface CacheFamily<T> {
  /**
   * The cached value of `key`, or `load()`'s, which is then cached unless an invalidation of the key
   * (or the family) ran since this read looked. Concurrent reads of one key in this process share one
   * read of Redis and at most one load (those that joined it answer `hit`, or `bypass` without Redis);
   * across replicas, one loads while the others wait briefly for its value. A Redis that is
   * down or slow is skipped (`bypass`). A loader's rejection is the read's.
   */
  read(key: string, load: () => Promise<T | undefined>): Promise<CacheRead<T>>;
  /**
   * Removes `key`'s entry and stops any load already under way from storing. Never rejects: when
   * Redis does not take it, the family bypasses the cache until it has moved the whole family to a
   * new generation, so nothing cached before the failure is served again.
   */
  invalidate(key: string): Promise<void>;
  /** Invalidates every key of the family at once; fails the same safe way as `invalidate`. */
  invalidateAll(): Promise<void>;
}

/** What `cacheFamily` is built from; `createReadCache` supplies all but the name and the TTL. */
export interface CacheFamilyParts extends CacheFamilyOptions {
  readonly name: string;
  readonly redis: Redis | undefined;
  readonly gate: RedisGate | undefined;
  /** Every key of the family starts with this; it ends in the family's hash tag, `{<name>}:`. */
  readonly prefix: string;
  readonly logger: Logger;
  readonly metrics: CacheMetrics;
  readonly lockWaitMs: number;
  readonly lockTtlMs: number;
  readonly repairIntervalMs: number;
  readonly isClosed: () => boolean;
}

// A key generation outlives every entry stored under it; a load slower than half of it does not store,
// so a generation that expired and restarted from 0 can never match what a load read before.
const KEY_GENERATION_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_LOAD_AGE_MS = KEY_GENERATION_TTL_MS / 2;
const LOCK_POLL_MS = 5;
// A stamp no generation pair ever equals: the write script then only releases the lock.
const RELEASE_ONLY = 'release';

interface FamilyScripts {
  readonly read: RedisScript;
  readonly write: RedisScript;
  readonly invalidate: RedisScript;
}

type ReadState = { readonly hit: true; readonly json: string } | { readonly hit: false; readonly stamp: string; readonly locked: boolean };

/** A family of `createReadCache`; see `packages/platform/src/cache/DESIGN.md` for why it is shaped so. */
export function cacheFamily<T>(parts: CacheFamilyParts): CacheFamily<T> & { close(): void } {
  const { name, redis, gate, prefix, logger: log, metrics, lockWaitMs, lockTtlMs, repairIntervalMs, isClosed } = parts;
  if (!Number.isSafeInteger(parts.ttlSeconds) || parts.ttlSeconds <= 0) {
    throw new RangeError(`cache family ${name}: ttlSeconds must be a positive whole number, got ${parts.ttlSeconds}`);
  }
  const ttlMs = parts.ttlSeconds * 1000;
  const generationKey = `${prefix}gen`;
  const keysOf = (key: string) => [generationKey, `${prefix}g:${key}`, `${prefix}v:${key}`, `${prefix}l:${key}`];
  const scripts: FamilyScripts | undefined =
    redis === undefined
      ? undefined
      : {
          read: redisScript(redis, 'msaCacheRead', 4, READ_SCRIPT),
          write: redisScript(redis, 'msaCacheWrite', 4, WRITE_SCRIPT),
          invalidate: redisScript(redis, 'msaCacheInvalidate', 2, INVALIDATE_SCRIPT),
        };
  const inFlight = new Map<string, Promise<CacheRead<T>>>();
  // Dirty: an invalidation may not have reached Redis. `epoch` counts those failures, so a load that
  // began before one never stores, and a repair that raced one does not clear the flag.
  let dirty = false;
  let epoch = 0;
  let repairing: Promise<boolean> | undefined;
  let repairTimer: NodeJS.Timeout | undefined;
  const onReady = () => void repair();
  redis?.on('ready', onReady);

  function failed(operation: 'read' | 'write' | 'invalidate' | 'repair', error: unknown): void {
    metrics.errors.inc({ family: name, operation });
    gate?.failed();
    log.debug({ err: error, operation }, 'cache call to redis failed');
  }

  async function timedLoad(load: () => Promise<T | undefined>): Promise<T | undefined> {
    const end = metrics.loadDuration.startTimer({ family: name });
    try {
      return await load();
    } finally {
      end();
    }
  }

  async function bypass(load: () => Promise<T | undefined>): Promise<CacheRead<T>> {
    metrics.reads.inc({ family: name, source: 'bypass' });
    return { value: await timedLoad(load), source: 'bypass' };
  }

  function markDirty(): void {
    dirty = true;
    epoch += 1;
    if (repairTimer !== undefined || isClosed()) return;
    repairTimer = setInterval(() => void repair(), repairIntervalMs);
    repairTimer.unref();
  }

  /** Moves the family to a new generation after failed invalidations; true once the family is clean. */
  function repair(): Promise<boolean> {
    if (!dirty) return Promise.resolve(true);
    if (redis === undefined || gate?.connected() !== true) return Promise.resolve(false);
    repairing ??= (async () => {
      const at = epoch;
      try {
        await redis.incr(generationKey);
      } catch (error) {
        failed('repair', error);
        return false;
      } finally {
        repairing = undefined;
      }
      if (epoch !== at) return false;
      dirty = false;
      clearInterval(repairTimer);
      repairTimer = undefined;
      log.info('cache family moved to a new generation after failed invalidations');
      return true;
    })();
    return repairing;
  }

  async function readState(run: FamilyScripts, key: string, token: string): Promise<ReadState> {
    const reply = (await run.read(keysOf(key), [token, lockTtlMs])) as [number, string, number?];
    return reply[0] === 1 ? { hit: true, json: reply[1] } : { hit: false, stamp: reply[1], locked: reply[2] === 1 };
  }

  async function store(key: string, stamp: string, value: T | undefined, token: string, loadedFrom: { epoch: number; at: number }): Promise<void> {
    if (scripts === undefined) return;
    const current = loadedFrom.epoch === epoch && !dirty && Date.now() - loadedFrom.at < MAX_LOAD_AGE_MS;
    const json = JSON.stringify(value === undefined ? {} : { v: value });
    try {
      await scripts.write(keysOf(key), [current ? stamp : RELEASE_ONLY, json, ttlMs, token]);
    } catch (error) {
      failed('write', error);
    }
  }

  async function readThrough(key: string, load: () => Promise<T | undefined>): Promise<CacheRead<T>> {
    if (scripts === undefined || gate?.open() !== true || isClosed() || !(await repair())) return bypass(load);
    const loadedFrom = { epoch, at: Date.now() };
    const token = randomUUID();
    const waitUntil = loadedFrom.at + lockWaitMs;
    for (;;) {
      let state: ReadState;
      try {
        state = await readState(scripts, key, token);
      } catch (error) {
        failed('read', error);
        return bypass(load);
      }
      if (state.hit) {
        metrics.reads.inc({ family: name, source: 'hit' });
        return { value: (JSON.parse(state.json) as { v?: T }).v, source: 'hit' };
      }
      // Load when this read holds the key's lock, or has waited long enough for the replica that
      // does; until then that replica's value is likely a few ms away. A load past the wait writes
      // under the generations it read, so it is as safe as the lock holder's.
      if (state.locked || Date.now() >= waitUntil) {
        metrics.reads.inc({ family: name, source: 'miss' });
        let value: T | undefined;
        try {
          value = await timedLoad(load);
        } catch (error) {
          await store(key, RELEASE_ONLY, undefined, token, loadedFrom);
          throw error;
        }
        await store(key, state.stamp, value, token, loadedFrom);
        return { value, source: 'miss' };
      }
      await sleep(LOCK_POLL_MS);
    }
  }

  /**
   * A read that joined another's: served without a load of its own, so a hit unless the value came
   * from MongoDB because Redis could not be used (a bypass stays one). Counted, so the hit ratio is
   * per read, not per Redis call.
   */
  async function joined(shared: Promise<CacheRead<T>>): Promise<CacheRead<T>> {
    const { value, source } = await shared;
    const served: CacheSource = source === 'bypass' ? 'bypass' : 'hit';
    metrics.reads.inc({ family: name, source: served });
    return { value, source: served };
  }

  async function invalidateIn(scope: 'key' | 'all', send: (run: FamilyScripts) => Promise<unknown>): Promise<void> {
    metrics.invalidations.inc({ family: name, scope });
    if (scripts === undefined) return;
    if (gate?.connected() !== true) {
      markDirty();
      return;
    }
    try {
      await send(scripts);
    } catch (error) {
      failed('invalidate', error);
      markDirty();
      log.warn({ err: error, scope }, 'cache invalidation failed; the family bypasses the cache until it moves to a new generation');
    }
  }

  return {
    read(key, load) {
      const shared = inFlight.get(key);
      if (shared !== undefined) return joined(shared);
      const reading = readThrough(key, load).finally(() => {
        if (inFlight.get(key) === reading) inFlight.delete(key);
      });
      inFlight.set(key, reading);
      return reading;
    },
    invalidate(key) {
      // A read that starts after the invalidation must not join a load that started before it.
      inFlight.delete(key);
      const [, keyGeneration = '', entry = ''] = keysOf(key);
      return invalidateIn('key', (run) => run.invalidate([keyGeneration, entry], [KEY_GENERATION_TTL_MS]));
    },
    invalidateAll() {
      inFlight.clear();
      return invalidateIn('all', () => (redis === undefined ? Promise.resolve() : redis.incr(generationKey)));
    },
    close() {
      clearInterval(repairTimer);
      repairTimer = undefined;
      redis?.off('ready', onReady);
    },
  };
}
