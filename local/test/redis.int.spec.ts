import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { localServers } from '../src/index.js';

describe('Redis smoke', () => {
  const redis = new Redis(localServers().redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const key = `smoke:${randomUUID()}`;

  beforeAll(async () => {
    await redis.connect();
  });
  afterAll(async () => {
    await redis.del(key);
    redis.disconnect();
  });

  it('given a key set with NX and a TTL, when set again with NX, then the first value stays', async () => {
    const first = await redis.set(key, 'first', 'PX', 60_000, 'NX');
    const second = await redis.set(key, 'second', 'PX', 60_000, 'NX');

    expect(first).toBe('OK');
    expect(second).toBeNull();
    expect(await redis.get(key)).toBe('first');
    expect(await redis.pttl(key)).toBeGreaterThan(0);
  });
});
