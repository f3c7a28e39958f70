import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { localServers } from '@msa/local';
import type { DomainEvent } from '@msa/contracts';
import type { Kafka } from 'kafkajs';
import { createEventStore, createLogger, NO_STREAM, withTransaction, type EventStore } from '../../src/index.js';
import { eventStoreMigrations } from '../../src/event-store/schema.js';
import { outboxMigrations } from '../../src/outbox/schema.js';
import { migrate } from '../../src/postgres/migrate.js';
import { createPooledDatabase, type PooledTestDatabase } from '../support/pooled-database.js';
import { userEvent } from '../event-store/support/events.js';
import { createTestTopic, deleteTopics, testKafka, watchTopics, type TopicWatch } from './support/kafka.js';
import { relayLockHolders } from './support/locks.js';
import { startRelayProcess, type RelayProcess } from './support/relay-process.js';
import { until } from './support/until.js';

// The bounds under test, as an operator would set them (they are also the defaults).
const LEADER_TIMEOUT_MS = 6_000;
const LEADER_RETRY_MS = 2_000;
// Connecting, taking the lock, connecting the producer and one send, on a busy shared machine.
const MARGIN_MS = 5_000;
const LEADING = 'leading: publishing from the checkpoint';
const RELAY = 'failover';

describe('outbox relay failover between processes', () => {
  let db: PooledTestDatabase;
  let store: EventStore;
  let kafka: Kafka;
  let topic: string;
  let watch: TopicWatch;
  const relays: RelayProcess[] = [];

  beforeAll(async () => {
    db = await createPooledDatabase('outbox_failover');
    await migrate(db.pool, [...eventStoreMigrations, ...outboxMigrations]);
    store = createEventStore({ pool: db.pool, logger: createLogger({ service: 'test', level: 'silent' }) });
    kafka = testKafka();
    topic = await createTestTopic(kafka, 'failover', 1);
    watch = await watchTopics(kafka, [topic]);
  });
  afterAll(async () => {
    await Promise.all(relays.map((relay) => relay.terminate()));
    await watch.stop();
    await deleteTopics(kafka, [topic]);
    await db.drop();
  });

  async function relay(): Promise<RelayProcess> {
    const started = await startRelayProcess({
      DATABASE_URL: db.url,
      KAFKA_BROKERS: localServers().kafkaBrokers.join(','),
      RELAY_NAME: RELAY,
      OUTBOX_LEADER_TIMEOUT: `${LEADER_TIMEOUT_MS}ms`,
      OUTBOX_LEADER_RETRY: `${LEADER_RETRY_MS}ms`,
    });
    relays.push(started);
    return started;
  }

  /** Appends a new user's first event, stored for this spec's topic instead of the catalog's. */
  async function append(): Promise<DomainEvent> {
    const userId = randomUUID();
    const event = userEvent(userId, 1);
    await withTransaction(db.pool, async (tx) => {
      await store.append(`user-${userId}`, NO_STREAM, [event], { tx });
      await tx.client.query('update events set topic = $1 where event_id = $2', [topic, event.eventId]);
    });
    return event;
  }

  const arrived = (event: DomainEvent) => () => watch.arrivals.has(event.eventId);

  async function checkpointPassed(event: DomainEvent): Promise<boolean> {
    const { rows } = await db.pool.query<{ passed: boolean }>(
      `select (c.transaction_id, c.position) >= (e.transaction_id, e.position) as passed
         from outbox_checkpoints c, events e where c.relay = $1 and e.event_id = $2`,
      [RELAY, event.eventId],
    );
    return rows[0]?.passed === true;
  }

  it('given a leader frozen by SIGSTOP, when a standby contends, then it takes over within the leader timeout plus the retry interval, and the thawed leader publishes nothing more', async () => {
    const first = await relay();
    await first.waitForLog(LEADING);
    const second = await relay();
    await second.waitForLog('outbox relay running');
    const before = await append();
    await until(arrived(before));
    await until(() => checkpointPassed(before));
    const [frozenSession] = await relayLockHolders(db.pool, RELAY);

    first.kill('SIGSTOP');
    const frozenAt = Date.now();
    const during = await append();
    await second.waitForLog(LEADING, { timeoutMs: LEADER_TIMEOUT_MS + LEADER_RETRY_MS + 2 * MARGIN_MS });
    await until(arrived(during), 2 * MARGIN_MS);
    const takeoverMs = (watch.arrivals.get(during.eventId) ?? Infinity) - frozenAt;

    // PostgreSQL ended the frozen leader's session; the standby holds the lock on a session of its own.
    expect(takeoverMs).toBeLessThan(LEADER_TIMEOUT_MS + LEADER_RETRY_MS + MARGIN_MS);
    expect(await relayLockHolders(db.pool, RELAY)).not.toContain(frozenSession);

    const thawedAt = first.logs.length;
    first.kill('SIGCONT');
    await first.waitForLog('lost the leadership; contending again', { from: thawedAt });
    const after = await append();
    await until(arrived(after));
    // Time for a thawed leader that still believed in itself to send what it read.
    await sleep(LEADER_RETRY_MS);

    expect(await first.publishedTotal()).toBe(1);
    expect(await second.publishedTotal()).toBe(2);
    expect(first.logs.slice(thawedAt).filter((line) => line.msg === LEADING)).toEqual([]);
    expect(first.exit).toBeUndefined();
    expect([...watch.copies.values()]).toEqual([1, 1, 1]);
    expect(await Promise.all([first.terminate(), second.terminate()])).toEqual([0, 0]);
  }, 120_000);
});
