import { randomUUID } from 'node:crypto';
import { eventually, localServers, startSwitchableProxy, type SwitchableProxy } from '@msa/local';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import {
  closeRedisClient,
  createLogger,
  createRedisClient,
  MAX_TOKEN_LIFETIME_MS,
  redisGate,
  redisTokenRevocations,
} from '../../../src/index.js';
import { captureLines } from '../../telemetry/capture.js';

const redisUrl = new URL(localServers().redisUrl);
const silent = createLogger({ service: 'revocation-spec', level: 'silent' });

/**
 * A connected client. Specs of behaviour give commands a second: on a busy machine a stalled event
 * loop, not Redis, would trip the 50 ms default. The stall spec passes its own.
 */
async function connected(url: string, commandTimeoutMs = 1_000): Promise<Redis> {
  const redis = createRedisClient(url, { commandTimeoutMs, name: 'revocation-spec', logger: silent });
  // A busy machine can hold the event loop past the connect timeout; the client then keeps trying.
  await redis.connect().catch(() => undefined);
  await eventually(() => Promise.resolve(redis.status === 'ready' ? true : undefined));
  return redis;
}

describe('token revocations in Redis', () => {
  let redis: Redis;
  let prefix: string;
  const userId = () => randomUUID();

  beforeAll(async () => {
    redis = await connected(redisUrl.href);
  });
  afterAll(async () => {
    await closeRedisClient(redis);
  });
  beforeEach(() => {
    prefix = `msa:spec-${randomUUID()}:`;
  });

  function revocations(registry = new Registry()) {
    return redisTokenRevocations({ redis, gate: redisGate(redis, 500), prefix, logger: silent, registry });
  }

  it('given a revocation, when tokens are checked, then one issued before it is revoked and one issued at or after it is not', async () => {
    const { revocations: store, check } = revocations();
    const ada = userId();
    const changedAt = Date.now();

    await store.revokeIssuedBefore(ada, new Date(changedAt));

    expect(await check(ada, changedAt - 1)).toBe(true);
    expect(await check(ada, changedAt)).toBe(false);
    expect(await check(ada, changedAt + 1)).toBe(false);
    expect(await check(userId(), changedAt - 1)).toBe(false);
  });

  it('given a later revocation, when an earlier instant is revoked afterwards, then the later one stands', async () => {
    const { revocations: store, check } = revocations();
    const ada = userId();
    const later = Date.now();

    await store.revokeIssuedBefore(ada, new Date(later));
    await store.revokeIssuedBefore(ada, new Date(later - 60_000));

    expect(await check(ada, later - 30_000)).toBe(true);
    expect(await redis.get(`${prefix}auth:tokens-valid-after:${ada}`)).toBe(String(later));
  });

  it('given a revocation, when stored, then it is kept under the shared key until every token issued before it has expired', async () => {
    const { revocations: store } = revocations();
    const ada = userId();

    await store.revokeIssuedBefore(ada, new Date());

    const ttlMs = await redis.pttl(`${prefix}auth:tokens-valid-after:${ada}`);
    expect(ttlMs).toBeGreaterThan(MAX_TOKEN_LIFETIME_MS - 60_000);
    expect(ttlMs).toBeLessThanOrEqual(MAX_TOKEN_LIFETIME_MS);
  });

  it('given an instant older than the longest token lifetime, when revoked, then nothing is stored, since no token issued before it is still valid', async () => {
    const { revocations: store } = revocations();
    const ada = userId();

    await store.revokeIssuedBefore(ada, new Date(Date.now() - MAX_TOKEN_LIFETIME_MS - 1_000));

    expect(await redis.exists(`${prefix}auth:tokens-valid-after:${ada}`)).toBe(0);
  });

  it('given the cache just paused Redis after a slow reply, when a token is checked, then Redis is still asked and the revocation holds', async () => {
    const gate = redisGate(redis, 60_000);
    const { revocations: store, check } = redisTokenRevocations({ redis, gate, prefix, logger: silent, registry: new Registry() });
    const ada = userId();
    const changedAt = Date.now();
    await store.revokeIssuedBefore(ada, new Date(changedAt));

    gate.failed();

    expect(gate.open()).toBe(false);
    expect(await check(ada, changedAt - 1)).toBe(true);
  });

  it('given checks, when they run, then the metric counts them by outcome', async () => {
    const registry = new Registry();
    const { revocations: store, check } = revocations(registry);
    const ada = userId();
    await store.revokeIssuedBefore(ada, new Date());

    await check(ada, 0);
    await check(userId(), 0);

    const text = await registry.metrics();
    expect(text).toContain('auth_revocation_checks_total{outcome="revoked"} 1');
    expect(text).toContain('auth_revocation_checks_total{outcome="valid"} 1');
  });
});

describe('token revocations when Redis is away', () => {
  let proxy: SwitchableProxy;
  let redis: Redis;

  beforeEach(async () => {
    proxy = await startSwitchableProxy(redisUrl.hostname, Number(redisUrl.port));
    redis = await connected(`redis://127.0.0.1:${proxy.port}`);
  });
  afterEach(async () => {
    await closeRedisClient(redis);
    await proxy.close();
  });

  it('given Redis is down, when a token is checked, then it is admitted at once, one warning is logged and the metric counts it unavailable', async () => {
    const registry = new Registry();
    const { destination, lines } = captureLines();
    const logger = createLogger({ service: 'revocation-spec', level: 'warn', destination });
    const { check } = redisTokenRevocations({ redis, gate: redisGate(redis, 500), prefix: `msa:spec-${randomUUID()}:`, logger, registry });
    proxy.cut();
    await eventually(() => Promise.resolve(redis.status === 'ready' ? undefined : true));

    const started = performance.now();
    const first = await check(randomUUID(), 0);
    const second = await check(randomUUID(), 0);
    const tookMs = performance.now() - started;

    expect([first, second]).toEqual([false, false]);
    // Far below this client's 1 s command timeout: nothing waited for Redis.
    expect(tookMs).toBeLessThan(250);
    expect(lines.filter((line) => line.component === 'token-revocations' && line.level === 'warn')).toHaveLength(1);
    expect(await registry.metrics()).toContain('auth_revocation_checks_total{outcome="unavailable"} 2');
  });

  it('given Redis is down, when a revocation is written, then it rejects, so the caller knows it was not recorded', async () => {
    const { revocations: store } = redisTokenRevocations({ redis, gate: redisGate(redis, 500), prefix: `msa:spec-${randomUUID()}:`, logger: silent, registry: new Registry() });
    proxy.cut();
    await eventually(() => Promise.resolve(redis.status === 'ready' ? undefined : true));

    await expect(store.revokeIssuedBefore(randomUUID(), new Date())).rejects.toThrow();
  });
});
