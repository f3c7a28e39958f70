import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createEvent, type DomainEvent, type EventOf } from '@msa/contracts';
import { Registry } from 'prom-client';
import { OUTBOX_HEADERS } from '../../src/outbox/messages.js';
import { createLogger, type Logger } from '../../src/telemetry/logger.js';
import { createPlatformMetrics, type PlatformMetrics } from '../../src/telemetry/metrics.js';

/** A name no other test uses: `<prefix>.<random>` for topics and groups, `<prefix>_<random>` for collections. */
export function unique(prefix: string, separator = '.'): string {
  return `${prefix}${separator}${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}

/** A logger that keeps quiet unless TEST_LOG_LEVEL asks otherwise, and fresh metrics. */
export function quietTelemetry(): { logger: Logger; metrics: PlatformMetrics } {
  const level = process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'silent';
  return { logger: createLogger({ service: 'consumer-test', level }), metrics: createPlatformMetrics(new Registry()) };
}

/** A `UserCreated` at version 1 for `userId` (a UUID). */
export function userCreated(userId: string, name = 'Kim Minji'): EventOf<'UserCreated'> {
  return createEvent({
    eventType: 'UserCreated',
    eventId: randomUUID(),
    version: 1,
    occurredAt: new Date().toISOString(),
    correlationId: 'test',
    causationId: 'test',
    payload: { userId, email: `${userId.slice(0, 8)}@example.com`, name, role: 'customer' },
  });
}

/** A `UserUpdated` renaming `userId` at `version`. */
export function userUpdated(userId: string, version: number, name: string): EventOf<'UserUpdated'> {
  return createEvent({
    eventType: 'UserUpdated',
    eventId: randomUUID(),
    version,
    occurredAt: new Date().toISOString(),
    correlationId: 'test',
    causationId: 'test',
    payload: { userId, name },
  });
}

/** Polls `condition` until it holds, failing after `timeoutMs`. */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** A gate one step opens and another awaits, to order a handler and the test by hand. */
export interface Gate {
  readonly opened: Promise<void>;
  open(): void;
}

/** A closed gate. */
export function gate(): Gate {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** The headers the outbox relay puts beside `event` (`toMessage`), by the relay's own header names. */
export function outboxHeaders(event: DomainEvent): Record<string, string> {
  return {
    [OUTBOX_HEADERS.eventId]: event.eventId,
    [OUTBOX_HEADERS.eventType]: event.eventType,
    [OUTBOX_HEADERS.version]: String(event.version),
    [OUTBOX_HEADERS.schemaVersion]: String(event.schemaVersion),
    [OUTBOX_HEADERS.aggregateType]: event.aggregateType,
    [OUTBOX_HEADERS.correlationId]: event.correlationId,
    [OUTBOX_HEADERS.causationId]: event.causationId,
  };
}
