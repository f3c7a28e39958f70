export type { CacheFamily, CacheFamilyOptions, CacheRead, CacheSource } from './family.js';
export { createCacheMetrics, type CacheMetrics } from './metrics.js';
export { createReadCache, type ReadCache, type ReadCacheOptions } from './read-cache.js';
export {
  closeRedisClient,
  createRedisClient,
  DEFAULT_REDIS_COMMAND_TIMEOUT_MS,
  DEFAULT_REDIS_CONNECT_TIMEOUT_MS,
  type RedisClientOptions,
} from './redis-client.js';
export { redisGate, type RedisGate } from './redis-gate.js';
