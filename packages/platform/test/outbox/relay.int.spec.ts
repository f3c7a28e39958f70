import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { Kafka } from 'kafkajs';
import pg from 'pg';
import { Registry } from 'prom-client';
import {
  createEventStore,
  createOutboxRelay,
  createPlatformMetrics,
  NO_STREAM,
  OUTBOX_HEADERS,
  startTelemetry,
  withSpan,
  withTransaction,
  type EventStore,
  type OutboxRelay,
  type OutboxRelayOptions,
  type PublishedEvent,
} from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../event-store/support/database.js';
import { userEvent, userEvents } from '../event-store/support/events.js';
import { consumeUntil, createTestTopic, deleteTopics, testKafka } from './support/kafka.js';
import { relayLockHolders } from './support/locks.js';
import { until } from './support/until.js';
import { latch } from '../event-store/support/latch.js';

describe('outbox relay', () => {
  let db: TestDatabase;
  let store: EventStore;
  let kafka: Kafka;
  let created: string;
  let updated: string;
  const relays: OutboxRelay[] = [];
  const published: PublishedEvent[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('outbox_relay');
    store = createEventStore({ pool: db.pool, logger: db.logger });
    kafka = testKafka();
    [created, updated] = await Promise.all([createTestTopic(kafka, 'created'), createTestTopic(kafka, 'updated')]);
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    published.length = 0;
  });
  afterAll(async () => {
    await deleteTopics(kafka, [created, updated]);
    await db.drop();
  });

  function relay(options: Partial<OutboxRelayOptions> = {}): OutboxRelay {
    const instance = createOutboxRelay({
      pool: db.pool,
      kafka,
      logger: db.logger,
      resolveTopic: (topic) => (topic === 'user.profile.created' ? created : updated),
      leaderRetryMs: 100,
      onPublished: (events) => published.push(...events),
      ...options,
    });
    relays.push(instance);
    instance.start();
    return instance;
  }

  const publishedIds = () => new Set(published.map((p) => p.eventId));

  it('given appended events, when the relay runs, then each reaches its topic keyed by aggregate id with the envelope in value and headers', async () => {
    const userId = randomUUID();
    const events = userEvents(userId, 3);
    const metrics = createPlatformMetrics(new Registry());
    relay({ metrics });

    await store.append(`user-${userId}`, NO_STREAM, events);
    const received = await consumeUntil(kafka, [created, updated], (r) => r.filter((m) => m.key === userId).length === 3);

    const mine = received.filter((m) => m.key === userId).toSorted((a, b) => Number(a.value.version) - Number(b.value.version));
    expect(mine.map((m) => [m.topic, m.value.version])).toEqual([
      [created, 1],
      [updated, 2],
      [updated, 3],
    ]);
    const [first] = events;
    expect(mine[0]?.value).toEqual(first);
    expect(mine[0]?.headers).toMatchObject({
      [OUTBOX_HEADERS.eventId]: first?.eventId,
      [OUTBOX_HEADERS.eventType]: 'UserCreated',
      [OUTBOX_HEADERS.version]: '1',
      [OUTBOX_HEADERS.schemaVersion]: '2',
      [OUTBOX_HEADERS.aggregateType]: 'User',
      [OUTBOX_HEADERS.correlationId]: 'test',
      [OUTBOX_HEADERS.causationId]: 'test',
    });
    await until(() => publishedIds().size >= 3);
    const counted = await metrics.registry.getSingleMetric('outbox_published_total')?.get();
    expect(counted?.values.reduce((sum, v) => sum + v.value, 0)).toBe(3);
  });

  it('given an append inside a traced request, when published, then the message carries that W3C trace context', async () => {
    const stopTelemetry = startTelemetry({ service: 'outbox-test' });
    try {
      const userId = randomUUID();
      relay();
      const traceId = await withSpan('register', ROOT_CONTEXT, async (span) => {
        await store.append(`user-${userId}`, NO_STREAM, [userEvent(userId, 1)]);
        return span.spanContext().traceId;
      });

      const received = await consumeUntil(kafka, [created], (r) => r.some((m) => m.key === userId));

      expect(received.find((m) => m.key === userId)?.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-`));
    } finally {
      await stopTelemetry();
    }
  });

  it('given a transaction holding a lower position that commits after a higher one, when the relay runs, then it still publishes both', async () => {
    const [early, late] = [randomUUID(), randomUUID()];
    relay();
    const appended = latch();
    const commit = latch();
    const slow = withTransaction(db.pool, async (tx) => {
      await store.append(`user-${early}`, NO_STREAM, [userEvent(early, 1)], { tx });
      appended.open();
      await commit.opened;
    });
    await appended.opened;
    const fast = userEvent(late, 1);
    await store.append(`user-${late}`, NO_STREAM, [fast]);
    await sleep(300);
    const beforeSlowCommit = publishedIds();

    commit.open();
    await slow;
    await until(() => published.some((p) => p.eventId === fast.eventId) && published.length >= 2);

    expect(beforeSlowCommit.has(fast.eventId)).toBe(false);
    const order = published.map((p) => p.position);
    expect(order).toEqual(order.toSorted((a, b) => a - b));
    expect(published).toHaveLength(2);
  });

  it('given a transaction with an older id appending at a higher position and committing first, when the other commits later, then the lower position is not skipped', async () => {
    const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];
    relay();
    const olderWrote = latch();
    const lowerAppended = latch();
    const olderCommitted = latch();
    // The older transaction takes its id first (with an append of its own), then the younger one
    // appends (a lower position than the older one's second append), and commits only after.
    const older = withTransaction(db.pool, async (tx) => {
      await store.append(`user-${first}`, NO_STREAM, [userEvent(first, 1)], { tx });
      olderWrote.open();
      await lowerAppended.opened;
      await store.append(`user-${third}`, NO_STREAM, [userEvent(third, 1)], { tx });
    });
    const lower = userEvent(second, 1);
    const younger = withTransaction(db.pool, async (tx) => {
      await olderWrote.opened;
      await store.append(`user-${second}`, NO_STREAM, [lower], { tx });
      lowerAppended.open();
      await olderCommitted.opened;
    });
    await older;
    await until(() => published.length >= 2);
    olderCommitted.open();
    await younger;

    await until(() => publishedIds().has(lower.eventId));
    const positionOf = (eventId: string) => published.find((p) => p.eventId === eventId)?.position ?? 0;
    const higher = published[1]?.eventId ?? '';
    expect(published).toHaveLength(3);
    expect(positionOf(lower.eventId)).toBeLessThan(positionOf(higher));
    expect(published[2]?.eventId).toBe(lower.eventId);
  });

  it('given transaction ids of different lengths, when published one at a time, then they go in numeric order and none is skipped', async () => {
    const [low, high] = [randomUUID(), randomUUID()];
    const eventIdOf = new Map<string, string>([[low, randomUUID()], [high, randomUUID()]]);
    // Two past ids of different lengths, e.g. 1000 and 999 (as text '1000' sorts before '999'). Taken
    // from the server's own counter: a new cluster may not have reached 1000 yet, and an id it has
    // not reached is a transaction still to come, which the relay rightly waits for.
    const { rows } = await db.pool.query<{ current: string }>('select pg_current_xact_id()::text as current');
    const longer = 10n ** BigInt((rows[0]?.current.length ?? 1) - 1);
    for (const [userId, transactionId] of [[high, String(longer)], [low, String(longer - 1n)]] as const) {
      await db.pool.query(
        `insert into events (transaction_id, stream_id, version, event_id, event_type, aggregate_type, aggregate_id,
                             schema_version, correlation_id, causation_id, occurred_at, payload, topic)
         values ($1, $2, 1, $3, 'UserUpdated', 'User', $4, 1, 'c', 'c', now(), $5, 'user.profile.updated')`,
        [transactionId, `user-${userId}`, eventIdOf.get(userId), userId, { userId, name: 'Kim' }],
      );
    }

    // A relay of its own name starts from the beginning of the log.
    relay({ name: 'numeric-order', batchSize: 1 });
    const received = await consumeUntil(kafka, [updated], (r) => r.some((m) => m.key === high) && r.some((m) => m.key === low));

    // Kafka orders messages within a partition only, and the two keys may land in different ones:
    // the order the relay had them acknowledged is the one under test.
    const ours = new Set(eventIdOf.values());
    expect(published.map((p) => p.eventId).filter((id) => ours.has(id))).toEqual([eventIdOf.get(low), eventIdOf.get(high)]);
    expect(received.filter((m) => m.key === low || m.key === high)).toHaveLength(2);
  });

  it('given two relays of one name, when both run, then only one leads, and when it stops it has let go of the lock and the other takes over', async () => {
    const userId = randomUUID();
    const one = relay();
    const two = relay();
    await until(() => one.isLeader || two.isLeader);
    await sleep(300);
    expect([one.isLeader, two.isLeader].filter(Boolean)).toHaveLength(1);
    const [leader, follower] = one.isLeader ? [one, two] : [two, one];
    const holders = await relayLockHolders(db.pool, 'default');
    expect(holders).toHaveLength(1);

    await leader.stop();
    // The follower may take the lock any moment now, but never from the stopped leader's session.
    const [stoppedSession] = holders;
    expect(await relayLockHolders(db.pool, 'default')).not.toContain(stoppedSession);
    const events = userEvents(userId, 2);
    await store.append(`user-${userId}`, NO_STREAM, events);

    await until(() => follower.isLeader && events.every((e) => publishedIds().has(e.eventId)));
    expect(leader.isLeader).toBe(false);
  });

  it('given a relay still taking the leadership, when it is stopped, then it stops without holding the lock and another relay takes over', async () => {
    const userId = randomUUID();
    const stopped = relay({ stopTimeoutMs: 200 });

    // Stopped while its leader connection is still opening: the lock it then takes must be let go.
    const outcome = await Promise.race([
      stopped.stop().then(() => 'stopped'),
      sleep(5_000).then(() => 'still running'),
    ]);
    const heldAfterStop = await relayLockHolders(db.pool, 'default');
    const successor = relay();
    const events = userEvents(userId, 1);
    await store.append(`user-${userId}`, NO_STREAM, events);

    expect(outcome).toBe('stopped');
    expect(stopped.isLeader).toBe(false);
    expect(heldAfterStop).toEqual([]);
    await until(() => successor.isLeader && events.every((e) => publishedIds().has(e.eventId)));
  });

  it('given events appended while no relay ran, when one starts, then the lag metrics report the backlog and fall to zero', async () => {
    const userId = randomUUID();
    await store.append(`user-${userId}`, NO_STREAM, userEvents(userId, 50));
    const platformMetrics = createPlatformMetrics(new Registry());
    const reported: number[] = [];
    const gauge = platformMetrics.outboxLagEvents;
    // Records every value the relay sets, which polling the registry could miss.
    const outboxLagEvents = new Proxy(gauge, {
      get: (target, property) =>
        property === 'set'
          ? (value: number) => {
              reported.push(value);
              target.set(value);
            }
          : (Reflect.get(target, property) as unknown),
    });
    const metrics = { ...platformMetrics, outboxLagEvents };
    const sends: number[] = [];

    relay({
      metrics,
      lagIntervalMs: 20,
      batchSize: 10,
      onPublished: (events) => {
        sends.push(events.length);
        published.push(...events);
      },
    });

    await until(() => publishedIds().size >= 50);
    await until(() => reported.at(-1) === 0);
    expect(Math.max(...reported)).toBeGreaterThanOrEqual(50);
    expect(sends.every((size) => size <= 10)).toBe(true);
  });

  it('given the naive baseline’s relay that polls only, when an event is appended while it waits, then it is published at the next poll, not on the notification', async () => {
    const userId = randomUUID();
    const polling = relay({ wakeOnAppend: false, pollIntervalMs: 4_000 });
    await until(() => polling.isLeader);
    await sleep(500);

    const appendedAt = Date.now();
    await store.append(`user-${userId}`, NO_STREAM, userEvents(userId, 1));
    await sleep(1_000);
    const earlyPublished = publishedIds().size;
    await until(() => publishedIds().size === 1, 10_000);

    expect(earlyPublished).toBe(0);
    expect(Date.now() - appendedAt).toBeGreaterThanOrEqual(2_000);
  });

  it('given events committed one at a time, when the relay publishes each, then it costs its read and its notification per event, not a transaction per statement', async () => {
    // Given a leading relay over a database of its own, which nothing else uses, and appends through a
    // connection of their own, which flushes its statistics when it closes; the relay's session
    // flushes its own when the relay stops.
    const events = 40;
    const own = await createTestDatabase('outbox_relay_cost');
    const appender = new pg.Pool({ ...own.pool.options, max: 1 });
    try {
      const appenderStore = createEventStore({ pool: appender, logger: own.logger });
      const leading = createOutboxRelay({
        pool: own.pool,
        kafka,
        logger: own.logger,
        resolveTopic: () => created,
        onPublished: (batch) => published.push(...batch),
      });
      relays.push(leading);
      leading.start();
      await until(() => leading.isLeader);
      await sleep(1_500);
      const before = await committedTransactions(own.pool);

      // When events commit 25 ms apart, each published before the next commits.
      const userId = randomUUID();
      for (const [index, event] of userEvents(userId, events).entries()) {
        await appenderStore.append(`user-${userId}`, index === 0 ? NO_STREAM : index, [event]);
        await until(() => publishedIds().has(event.eventId));
        await sleep(25);
      }
      await leading.stop();
      await appender.end();
      await sleep(500);
      // (An append is its transaction and the notification after it.)
      const relayTransactions = (await committedTransactions(own.pool)) - before - 2 * events;

      // Then each event costs the relay its read and the notification its session takes in (PostgreSQL
      // reads the queue in a transaction), plus a checkpoint now and then: about 2.4 an event, where
      // the read, the checkpoint write, an empty read and a horizon probe each cost one (about 4.2).
      expect(relayTransactions).toBeGreaterThan(events * 1.8);
      expect(relayTransactions).toBeLessThanOrEqual(events * 3);
    } finally {
      if (!appender.ended) await appender.end();
      await own.drop();
    }
  });

  /** Transactions committed in the pool's database, as PostgreSQL's statistics have them now. */
  async function committedTransactions(pool: pg.Pool): Promise<number> {
    const client = await pool.connect();
    try {
      await client.query("set stats_fetch_consistency = 'none'");
      const { rows } = await client.query<{ commits: string }>(
        'select xact_commit::text as commits from pg_stat_database where datname = current_database()',
      );
      return Number(rows[0]?.commits);
    } finally {
      client.release();
    }
  }
});
