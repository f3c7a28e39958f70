import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createEvent, deadLetterTopicFor, type EventOf } from '@msa/contracts';
import { createTestDatabase, localServers, type TestDatabase } from '@msa/local';
import type { IHeaders, Kafka, Producer } from 'kafkajs';
import pg from 'pg';
import { Registry } from 'prom-client';
import { createKafka } from '../../src/kafka/client.js';
import { createLogger, type Logger } from '../../src/telemetry/logger.js';
import { createPlatformMetrics, type PlatformMetrics } from '../../src/telemetry/metrics.js';

/** A name no other test uses: `<prefix>.<random>` for topics, `<prefix>_<random>` for collections. */
export function unique(prefix: string, separator = '.'): string {
  return `${prefix}${separator}${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}

export function testKafka(clientId: string): Kafka {
  return createKafka({ clientId, brokers: localServers().kafkaBrokers, logger: quietTelemetry().logger });
}

/** Creates each topic and its `.DLT` with the same partition count; nothing is auto-created. */
export async function createTopicsWithDlt(kafka: Kafka, topics: readonly string[], partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: topics.flatMap((topic) => [topic, deadLetterTopicFor(topic)]).map((topic) => ({ topic, numPartitions: partitions })),
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(kafka: Kafka, topics: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: topics.flatMap((topic) => [topic, deadLetterTopicFor(topic)]) }).catch(() => undefined);
  await admin.disconnect();
}

/** A test database with a pool on it; `drop` ends the pool, then drops the database. */
export interface PooledTestDatabase extends TestDatabase {
  readonly pool: pg.Pool;
}

/** A database of its own for one test file, with a pool, dropped afterwards. */
export async function createDatabase(prefix: string): Promise<PooledTestDatabase> {
  const database = await createTestDatabase(prefix);
  const pool = new pg.Pool({ connectionString: database.url, max: 10 });
  // Dropping the database ends its sessions; a pooled client still closing must not crash the test.
  pool.on('error', () => undefined);
  return {
    ...database,
    pool,
    drop: async () => {
      await pool.end();
      await database.drop();
    },
  };
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

/** What a test publishes: an event (keyed by its aggregate), or raw bytes under a key. */
export type Outgoing = EventOf<'UserCreated' | 'UserUpdated'> | { readonly key: string; readonly raw: string };

/** Publishes in order, one partition unless given. */
export async function publish(producer: Producer, topic: string, messages: readonly Outgoing[], partition = 0): Promise<void> {
  await producer.send({
    topic,
    acks: -1,
    messages: messages.map((message) =>
      'raw' in message
        ? { key: message.key, value: message.raw, partition }
        : { key: message.aggregateId, value: JSON.stringify(message), partition, headers: { 'event-id': message.eventId } },
    ),
  });
}

/** One message read back from a topic. */
export interface ReadMessage {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: IHeaders;
}

/** Every message now in `topic`, in partition and offset order, read without committing anything. */
export async function readAll(kafka: Kafka, topic: string): Promise<ReadMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const expected = offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
  const messages: ReadMessage[] = [];
  if (expected === 0) return messages;
  const consumer = kafka.consumer({ groupId: unique('test-reader'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: ({ partition, message }) => {
      messages.push({
        partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? null,
        headers: message.headers ?? {},
      });
      return Promise.resolve();
    },
  });
  await eventually(() => messages.length >= expected, 15_000);
  await consumer.disconnect();
  return messages.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
}

/** Polls `condition` until it holds, failing after `timeoutMs`. */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}
