import type { Level, Logger } from 'pino';
import { z } from 'zod';

/** What the Kafka client emits its events on (its `Admin`, `Producer`... are event emitters). */
export interface ClientEvents {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

interface LoggedEvent {
  readonly level: Level;
  readonly message: string;
  /** The entry's object, from the event's arguments. */
  readonly fields?: (args: readonly unknown[]) => Record<string, unknown>;
}

const brokerPayload = z.object({ broker: z.object({ host: z.string(), port: z.number() }) });

function broker([payload]: readonly unknown[]): Record<string, unknown> {
  const parsed = brokerPayload.safeParse(payload);
  return parsed.success ? { broker: `${parsed.data.broker.host}:${parsed.data.broker.port}` } : {};
}

// Every event @platformatic/kafka 2.12 emits about a client's own workings (what it also writes
// to its `debug` log). A broker that cannot be reached is a warning; the failure of a request is
// debug only, since it reaches `applyDecision`, which logs it with the resource it concerns.
const CLIENT_EVENTS: Readonly<Record<string, LoggedEvent>> = {
  'client:broker:connect': { level: 'info', message: 'connected to Kafka broker', fields: broker },
  'client:broker:disconnect': { level: 'info', message: 'disconnected from Kafka broker', fields: broker },
  'client:broker:failed': { level: 'warn', message: 'could not connect to Kafka broker', fields: broker },
  'client:broker:drain': { level: 'trace', message: 'Kafka connection drained', fields: broker },
  'client:performWithRetry': {
    level: 'trace',
    message: 'Kafka request',
    fields: ([operation, attempt, retries]) => ({ operation, attempt, retries }),
  },
  'client:performWithRetry:retry': {
    level: 'debug',
    message: 'retrying Kafka request',
    fields: ([operation, attempt, retries, delayMs]) => ({ operation, attempt, retries, delayMs }),
  },
  'client:performWithRetry:failed': {
    level: 'debug',
    message: 'Kafka request failed',
    fields: ([operation, retries, errors]) => ({ operation, retries, err: Array.isArray(errors) ? (errors.at(-1) as unknown) : undefined }),
  },
  'client:performDeduplicated': { level: 'trace', message: 'Kafka request shared', fields: ([operation]) => ({ operation }) },
  'client:metadata': { level: 'trace', message: 'Kafka metadata refreshed' },
  'client:close': { level: 'debug', message: 'Kafka client closed' },
};

/**
 * Writes the Kafka client's events through the operator's pino logger, each at the level it
 * deserves, instead of the client's own `debug` output (off unless `DEBUG=plt:kafka:*`).
 */
export function logClientEvents(client: ClientEvents, logger: Logger): void {
  for (const [event, { level, message, fields }] of Object.entries(CLIENT_EVENTS)) {
    client.on(event, (...args) => {
      logger[level](fields?.(args) ?? {}, message);
    });
  }
}
