import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { redisScript, type RedisScript } from '../../cache/redis-script.js';
import type { RedisGate } from '../../cache/redis-gate.js';

/**
 * The longest a token may live (`JWT_TTL` at most): a revocation is kept this long after its instant,
 * when every token issued before it has expired anyway.
 */
export const MAX_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Revokes a user's tokens by time; what the user service calls once a password has changed. */
export interface TokenRevocations {
  /**
   * From now on every service refuses `userId`'s tokens issued before `instant`. Monotonic: an
   * earlier instant than one already recorded changes nothing.
   *
   * @throws the Redis client's error when Redis did not take it; retry, or the old tokens stay valid
   *   until they expire.
   */
  revokeIssuedBefore(userId: string, instant: Date): Promise<void>;
}

/** Whether a verified token of `userId` issued at `issuedAtMs` has been revoked since. */
export type RevocationCheck = (userId: string, issuedAtMs: number) => Promise<boolean>;

/** Options for `redisTokenRevocations`. */
export interface RedisTokenRevocationsOptions {
  readonly redis: Redis;
  /**
   * Skips Redis while it has no connection, so a check fails open at once. Its cool-down after a
   * slow call is the cache's only: a check waits the command timeout rather than admit a revoked
   * token for half a second after one slow reply.
   */
  readonly gate: RedisGate;
  /** `msa:[<namespace>:]`: the same for every service, so the key one writes is the key all read. */
  readonly prefix: string;
  readonly logger: Logger;
  /** Where `auth_revocation_checks_total{outcome}` is registered. */
  readonly registry: Registry;
  /** @default () => Date.now() */
  readonly now?: () => number;
}

// Raises the recorded instant, never lowers it, and keeps it until the last token issued before it
// has expired: (instant - now) + the longest token lifetime.
const REVOKE_SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
`;

/** Token revocations kept in Redis under `<prefix>auth:tokens-valid-after:<userId>`, in epoch ms. */
export function redisTokenRevocations({ redis, gate, prefix, logger, registry, now = Date.now }: RedisTokenRevocationsOptions): {
  readonly revocations: TokenRevocations;
  readonly check: RevocationCheck;
} {
  const log = logger.child({ component: 'token-revocations' });
  const keyOf = (userId: string) => `${prefix}auth:tokens-valid-after:${userId}`;
  const revoke: RedisScript = redisScript(redis, 'msaRevokeTokens', 1, REVOKE_SCRIPT);
  const checks =
    (registry.getSingleMetric('auth_revocation_checks_total') as Counter<'outcome'> | undefined) ??
    new Counter({
      name: 'auth_revocation_checks_total',
      help: 'Token revocation checks by outcome: valid, revoked, or unavailable (Redis not asked or not answering, the token admitted)',
      labelNames: ['outcome'],
      registers: [registry],
    });
  let warned = false;

  // Failing open: the token's own lifetime bounds the exposure, and refusing every caller while Redis
  // is away would turn a cache outage into a platform outage. One warning per outage.
  function unavailable(error: unknown): false {
    checks.inc({ outcome: 'unavailable' });
    if (!warned) log.warn({ err: error }, 'token revocations cannot be read; admitting verified tokens until Redis answers');
    warned = true;
    return false;
  }

  return {
    revocations: {
      async revokeIssuedBefore(userId, instant) {
        const validAfter = instant.getTime();
        if (!Number.isFinite(validAfter)) throw new RangeError(`instant must be a valid date, got ${String(instant)}`);
        const keepMs = validAfter - now() + MAX_TOKEN_LIFETIME_MS;
        // Every token issued before the instant has expired already: nothing to refuse.
        if (keepMs <= 0) return;
        await revoke([keyOf(userId)], [validAfter, keepMs]);
        log.info({ userId, validAfter: instant.toISOString() }, 'tokens issued before this instant are revoked');
      },
    },
    async check(userId, issuedAtMs) {
      if (!gate.connected()) return unavailable(new Error('redis is not connected'));
      let raw: string | null;
      try {
        raw = await redis.get(keyOf(userId));
      } catch (error) {
        return unavailable(error);
      }
      warned = false;
      const revoked = raw !== null && issuedAtMs < Number(raw);
      checks.inc({ outcome: revoked ? 'revoked' : 'valid' });
      return revoked;
    },
  };
}
