import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@msa/contracts';
import { KafkaJSProtocolError, type Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import {
  createEventStore,
  createOutboxRelay,
  createPlatformMetrics,
  type EventStore,
  type OutboxRelay,
  type OutboxRelayOptions,
  type PlatformMetrics,
} from '../../src/index.js';
import { requestRelease } from '../../src/outbox/unpublishable.js';
import { createTestDatabase, type TestDatabase } from '../event-store/support/database.js';
import { appendUserEvent } from './support/append.js';
import { consumeUntil, createTestTopic, deleteTopics, testKafka, type Received } from './support/kafka.js';
import { recordingKafka } from './support/recording-kafka.js';
import { until } from './support/until.js';

// The topics' max.message.bytes, far below Kafka's default so a few events exceed it.
const LIMIT = 16_384;

describe('outbox relay: batches Kafka would refuse', () => {
  let db: TestDatabase;
  let store: EventStore;
  let kafka: Kafka;
  let topic: string;
  const topics: string[] = [];
  const relays: OutboxRelay[] = [];

  beforeAll(() => {
    kafka = testKafka();
  });
  beforeEach(async () => {
    // A database per test, so each relay starts from an empty log.
    db = await createTestDatabase('outbox_unpublishable');
    store = createEventStore({ pool: db.pool, logger: db.logger });
    topic = await createTestTopic(kafka, 'small', 1, { 'max.message.bytes': String(LIMIT) });
    topics.push(topic);
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    await db.drop();
  });
  afterAll(async () => {
    await deleteTopics(kafka, topics);
  });

  function relay(options: Partial<OutboxRelayOptions> = {}): OutboxRelay {
    const instance = createOutboxRelay({
      pool: db.pool,
      kafka,
      logger: db.logger,
      resolveTopic: () => topic,
      leaderRetryMs: 100,
      ...options,
    });
    relays.push(instance);
    instance.start();
    return instance;
  }

  const append = (userId: string, version: number, bytes?: number) => appendUserEvent(db.pool, store, userId, version, bytes);

  async function unpublishable(): Promise<{ event_id: string; reason: string | null }[]> {
    const { rows } = await db.pool.query<{ event_id: string; reason: string | null }>(
      'select event_id, reason from outbox_unpublishable order by position',
    );
    return rows;
  }

  async function unpublishableGauge(metrics: PlatformMetrics): Promise<number | undefined> {
    const gauge = await metrics.registry.getSingleMetric('outbox_unpublishable_events')?.get();
    return gauge?.values[0]?.value;
  }

  const ids = (events: readonly DomainEvent[]) => events.map((event) => event.eventId);
  const receivedIds = (received: readonly Received[]) => received.map((message) => String(message.value.eventId));

  it('given a backlog larger than the byte limit, when published, then it goes out in sends under the limit, all of it in stream order and none refused', async () => {
    const userId = randomUUID();
    const events: DomainEvent[] = [];
    for (let version = 1; version <= 40; version += 1) events.push(await append(userId, version, 900));
    const recording = recordingKafka(kafka);

    relay({ kafka: recording.kafka, maxBatchBytes: LIMIT });
    const received = await consumeUntil(kafka, [topic], (r) => r.length >= events.length);

    expect(receivedIds(received)).toEqual(ids(events));
    expect(recording.sends.filter((send) => send.failure !== undefined)).toEqual([]);
    // About 50 KB of messages in sends of at most 16 KB each.
    expect(recording.sends.length).toBeGreaterThanOrEqual(4);
  });

  it('given an event larger than the limit on its own, when published, then it is recorded unpublishable, its stream is held behind it, across restarts, and other streams publish', async () => {
    const [small, large, other] = [randomUUID(), randomUUID(), randomUUID()];
    const metrics = createPlatformMetrics(new Registry());
    const recording = recordingKafka(kafka);
    const before = [await append(small, 1), await append(large, 1, 3 * LIMIT), await append(other, 1)];
    const [, tooLarge] = before;
    const heldBehind = await append(large, 2);
    const after = await append(small, 2);

    const first = relay({ kafka: recording.kafka, maxBatchBytes: LIMIT, metrics });
    await consumeUntil(kafka, [topic], (r) => receivedIds(r).includes(after.eventId));
    await until(async () => (await unpublishable()).length === 2);
    await first.stop();
    const heldAcrossRestart = await append(large, 3);
    const later = await append(other, 2);
    relay({ kafka: recording.kafka, maxBatchBytes: LIMIT, metrics });
    await until(async () => (await unpublishable()).length === 3);
    const received = await consumeUntil(kafka, [topic], (r) => receivedIds(r).includes(later.eventId));

    expect(receivedIds(received)).toEqual([before[0], before[2], after, later].map((event) => event?.eventId));
    expect(await unpublishable()).toEqual([
      { event_id: tooLarge?.eventId, reason: expect.stringMatching(/^\d+ bytes as a Kafka record, more than the relay's limit of 16384/) as string },
      { event_id: heldBehind.eventId, reason: null },
      { event_id: heldAcrossRestart.eventId, reason: null },
    ]);
    expect(recording.sends.filter((send) => send.failure !== undefined)).toEqual([]);
    await until(async () => (await unpublishableGauge(metrics)) === 3);
  });

  it('given a held stream whose event fits once the relay’s limit is raised, when it is released, then its held events publish in order and the stream flows again', async () => {
    const roomy = await createTestTopic(kafka, 'roomy', 1, { 'max.message.bytes': String(8 * LIMIT) });
    topics.push(roomy);
    const [large, other] = [randomUUID(), randomUUID()];
    const metrics = createPlatformMetrics(new Registry());
    const held = [await append(large, 1, 3 * LIMIT), await append(large, 2)];
    const passing = await append(other, 1);
    const tight = relay({ maxBatchBytes: LIMIT, resolveTopic: () => roomy });
    await until(async () => (await unpublishable()).length === 2);
    await tight.stop();

    relay({ maxBatchBytes: 8 * LIMIT, resolveTopic: () => roomy, metrics });
    const requested = await requestRelease(db.pool, 'default', `user-${large}`);
    await until(async () => (await unpublishable()).length === 0);
    const flowing = await append(large, 3);
    const received = await consumeUntil(kafka, [roomy], (r) => receivedIds(r).includes(flowing.eventId));

    expect(requested).toBe(true);
    expect(receivedIds(received)).toEqual(ids([passing, ...held, flowing]));
    expect(await requestRelease(db.pool, 'default', `user-${large}`)).toBe(false);
    await until(async () => (await unpublishableGauge(metrics)) === 0);
  });

  it('given a relay limit above the topic’s, when Kafka refuses the batch, then it is split until the event Kafka refuses alone is recorded with Kafka’s reason, and the rest publish in order', async () => {
    const [small, large, other] = [randomUUID(), randomUUID(), randomUUID()];
    const recording = recordingKafka(kafka);
    const first = await append(small, 1);
    const refused = await append(large, 1, 2 * LIMIT);
    const middle = [await append(other, 1), await append(other, 2)];
    const heldBehind = await append(large, 2);
    const last = await append(small, 2);

    relay({ kafka: recording.kafka });
    const received = await consumeUntil(kafka, [topic], (r) => receivedIds(r).includes(last.eventId));
    await until(async () => (await unpublishable()).length === 2);

    expect(receivedIds(received)).toEqual(ids([first, ...middle, last]));
    expect(await unpublishable()).toEqual([
      { event_id: refused.eventId, reason: expect.stringMatching(/^MESSAGE_TOO_LARGE: /) as string },
      { event_id: heldBehind.eventId, reason: null },
    ]);
    expect(recording.sends.some((send) => send.failure === 'KafkaJSProtocolError MESSAGE_TOO_LARGE')).toBe(true);
  });

  it('given a producer whose sends fail with OUT_OF_ORDER_SEQUENCE_NUMBER, when the relay sends, then it publishes the batch once through a new producer', async () => {
    const outOfOrder = new KafkaJSProtocolError(
      Object.assign(new Error('The broker received an out of order sequence number'), {
        type: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
        code: 45,
        retriable: false,
      }),
    );
    const recording = recordingKafka(kafka, (producer) => (producer === 0 ? outOfOrder : undefined));
    const userId = randomUUID();
    const events = [await append(userId, 1), await append(userId, 2), await append(randomUUID(), 1)];

    relay({ kafka: recording.kafka });
    const received = await consumeUntil(kafka, [topic], (r) => r.length >= events.length);

    expect(receivedIds(received)).toEqual(ids(events));
    expect(recording.producers()).toBe(2);
    expect(recording.disconnected.has(0)).toBe(true);
    expect(recording.sends).toEqual([
      { producer: 0, messages: 3, failure: 'KafkaJSProtocolError OUT_OF_ORDER_SEQUENCE_NUMBER' },
      { producer: 1, messages: 3, failure: undefined },
    ]);
  });
});
