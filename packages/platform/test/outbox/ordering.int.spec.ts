import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import {
  createCommandHandler,
  createEventStore,
  createOutboxRelay,
  type EventStore,
  type OutboxRelay,
  type PublishedEvent,
} from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../event-store/support/database.js';
import { profileDecider } from '../event-store/support/events.js';
import { consumeUntil, createTestTopic, deleteTopics, testKafka, type Received } from './support/kafka.js';
import { until } from './support/until.js';

const WRITERS = 20;
const STREAMS = 1_000;
const COMMANDS_PER_WRITER = 250;
const TOTAL = WRITERS * COMMANDS_PER_WRITER;

describe('outbox relay under concurrent writers, crashing and restarted', () => {
  let db: TestDatabase;
  let store: EventStore;
  let kafka: Kafka;
  let topic: string;

  beforeAll(async () => {
    db = await createTestDatabase('outbox_order', WRITERS + 5);
    store = createEventStore({ pool: db.pool, logger: db.logger });
    kafka = testKafka();
    topic = await createTestTopic(kafka, 'ordering', 6);
  });
  afterAll(async () => {
    await deleteTopics(kafka, [topic]);
    await db.drop();
  });

  /** Cuts the leader's database session, as a crashed relay process would lose it. */
  async function killLeaderSession(): Promise<void> {
    await db.pool.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = 'outbox-relay:default'`,
      [db.name],
    );
  }

  /**
   * The real Kafka client, except that the producer's sends can be made to crash the relay: the
   * leader's session is cut just before the batch goes out, so Kafka acknowledges a batch whose
   * checkpoint can no longer be written, as when a process dies between the two.
   */
  function crashingKafka(crashBeforeSend: () => boolean): Kafka {
    return new Proxy(kafka, {
      get: (target, property) =>
        property === 'producer'
          ? (...args: Parameters<Kafka['producer']>) => {
              const producer = target.producer(...args);
              return new Proxy(producer, {
                get: (inner, name) =>
                  name === 'sendBatch'
                    ? async (batch: Parameters<typeof producer.sendBatch>[0]) => {
                        if (crashBeforeSend()) await killLeaderSession();
                        return inner.sendBatch(batch);
                      }
                    : (Reflect.get(inner, name) as unknown),
              });
            }
          : (Reflect.get(target, property) as unknown),
    });
  }

  it('given 20 writers across 1,000 streams, when the relay crashes mid-batch and is replaced mid-run, then every event reaches Kafka in stream order per key', async () => {
    const users = Array.from({ length: STREAMS }, () => randomUUID());
    const published: PublishedEvent[] = [];
    const crashes = [TOTAL * 0.2, TOTAL * 0.4];
    const crashBeforeSend = (): boolean => {
      const due = crashes[0] !== undefined && published.length >= crashes[0];
      if (due) crashes.shift();
      return due;
    };
    const start = (): OutboxRelay => {
      const relay = createOutboxRelay({
        pool: db.pool,
        kafka: crashingKafka(crashBeforeSend),
        logger: db.logger,
        resolveTopic: () => topic,
        batchSize: 100,
        leaderRetryMs: 50,
        onPublished: (events) => published.push(...events),
      });
      relay.start();
      return relay;
    };
    const first = start();

    const rename = createCommandHandler({ store, decider: profileDecider, retries: 20 });
    const writing = Promise.all(
      Array.from({ length: WRITERS }, async () => {
        for (let i = 0; i < COMMANDS_PER_WRITER; i += 1) {
          const userId = users[Math.floor(Math.random() * STREAMS)] ?? '';
          await rename(`user-${userId}`, { userId, name: `Name ${i}` }, { correlationId: 'load', causationId: 'load' });
        }
      }),
    );
    await until(() => crashes.length === 0, 30_000);
    // After its second crash this instance is gone for good and a new one takes over.
    await first.stop();
    const second = start();
    await writing;
    await until(() => new Set(published.map((p) => p.eventId)).size >= TOTAL, 30_000);
    await second.stop();

    const { rows } = await db.pool.query<{ aggregate_id: string; version: number }>(
      'select aggregate_id, max(version) as version from events group by aggregate_id',
    );
    const received = await consumeUntil(kafka, [topic], (r) => new Set(r.map((m) => m.value.eventId)).size >= TOTAL);
    expect(new Set(received.map((m) => m.value.eventId)).size).toBe(TOTAL);
    // The batches acknowledged but not checkpointed at each crash went out again.
    expect(received.length).toBeGreaterThan(TOTAL);
    expect(rows.reduce((sum, row) => sum + row.version, 0)).toBe(TOTAL);
    const byKey = new Map<string, Received[]>();
    for (const message of received) byKey.set(message.key, [...(byKey.get(message.key) ?? []), message]);
    for (const { aggregate_id: key, version: last } of rows) {
      const messages = byKey.get(key) ?? [];
      let highest = 0;
      for (const message of messages) {
        // A redelivery after a crash may repeat earlier versions, but never jumps ahead of one.
        expect(Number(message.value.version)).toBeLessThanOrEqual(highest + 1);
        highest = Math.max(highest, Number(message.value.version));
      }
      expect(highest).toBe(last);
      expect(new Set(messages.map((m) => m.partition)).size).toBe(1);
    }
  }, 90_000);
});
