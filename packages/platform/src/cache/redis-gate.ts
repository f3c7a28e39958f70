import type { Redis } from 'ioredis';

/** Whether the cache should ask Redis now. */
export interface RedisGate {
  /** True when the client is connected and no call failed within the cool-down. */
  open(): boolean;
  /** True when the client is connected, cool-down or not: writes that must not be dropped try anyway. */
  connected(): boolean;
  /** Records a failed or timed-out call: reads skip Redis for the cool-down. */
  failed(): void;
}

/**
 * Without a connection ioredis fails a command at once, but a stalled server fails each one only
 * at its timeout; skipping Redis for `cooldownMs` after a failure keeps that cost to the first few
 * requests of the stall.
 */
export function redisGate(redis: Redis, cooldownMs: number, now: () => number = Date.now): RedisGate {
  let closedUntil = 0;
  return {
    open: () => redis.status === 'ready' && now() >= closedUntil,
    connected: () => redis.status === 'ready',
    failed() {
      closedUntil = now() + cooldownMs;
    },
  };
}
