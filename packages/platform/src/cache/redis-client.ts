import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** The default bound on one Redis command, in ms: a stalled server costs a request no more. */
export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 50;
/** The default bound on opening a connection, in ms. */
export const DEFAULT_REDIS_CONNECT_TIMEOUT_MS = 1_000;
/** The longest pause between two reconnection attempts, in ms. */
const MAX_RECONNECT_DELAY_MS = 2_000;

/** Options for `createRedisClient`. */
export interface RedisClientOptions {
  /** Shown by `CLIENT LIST`, so a connection can be traced to its program. */
  readonly name: string;
  readonly logger: Logger;
  /** How long a command may wait for its reply. @default DEFAULT_REDIS_COMMAND_TIMEOUT_MS */
  readonly commandTimeoutMs?: number;
  /** How long opening the connection may take. @default DEFAULT_REDIS_CONNECT_TIMEOUT_MS */
  readonly connectTimeoutMs?: number;
}

/**
 * A Redis client on which no command waits: without a connection a command fails at once (no
 * offline queue), a stalled server fails it after `commandTimeoutMs`, and a command lost with its
 * connection is not resent. Redis is a cache and a revocation list here, so the caller falls back at
 * once (loads from the store, or admits the token) instead of queueing behind an outage. It connects
 * only when `connect()` is called, and then keeps reconnecting with a backoff capped at 2 s until
 * `quit()` or `disconnect()`.
 *
 * @throws RangeError for a timeout that is not a positive whole number of ms.
 */
export function createRedisClient(
  url: string,
  { name, logger, commandTimeoutMs = DEFAULT_REDIS_COMMAND_TIMEOUT_MS, connectTimeoutMs = DEFAULT_REDIS_CONNECT_TIMEOUT_MS }: RedisClientOptions,
): Redis {
  for (const [option, value] of Object.entries({ commandTimeoutMs, connectTimeoutMs })) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${option} must be a positive whole number of ms, got ${value}`);
  }
  const log = logger.child({ component: 'redis' });
  const client = new Redis(url, {
    connectionName: name,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: connectTimeoutMs,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 6), MAX_RECONNECT_DELAY_MS),
    // A reply to a command sent before a reconnection belongs to no one: fail it rather than resend.
    autoResendUnfulfilledCommands: false,
  });
  // Without a listener ioredis reports every failed reconnection as an unhandled error; one line per
  // outage is enough, the readiness check and the metrics say the rest.
  let reported = false;
  client.on('error', (error: unknown) => {
    if (reported) return;
    reported = true;
    log.warn({ err: error }, 'redis unreachable; reading without the cache until it answers');
  });
  client.on('ready', () => {
    if (reported) log.info('redis reachable again');
    reported = false;
  });
  return client;
}

/** Closes `client` politely within `timeoutMs`, and drops the connection if the server does not answer by then. */
export async function closeRedisClient(client: Redis, timeoutMs = DEFAULT_REDIS_CONNECT_TIMEOUT_MS): Promise<void> {
  if (client.status === 'end' || client.status === 'wait') {
    client.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([client.quit().then(() => undefined, () => undefined), late]);
  clearTimeout(timer);
  client.disconnect();
}
