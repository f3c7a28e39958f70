import { randomUUID } from 'node:crypto';
import { deadLetterTopicFor, type DomainEvent } from '@msa/contracts';
import type { Kafka, Producer } from 'kafkajs';
import { createProducer } from '../../src/kafka/producer.js';
import { executeReplay, ReplayInProgressError, type ReplayReport } from '../../src/consumer/replay.js';
import { createConsumerRunner, RetriableError, type ConsumerRunner } from '../../src/consumer/index.js';
import {
  createDatabase,
  createTopicsWithDlt,
  deleteTopics,
  eventually,
  publish,
  quietTelemetry,
  readAll,
  testKafka,
  unique,
  userCreated,
  userUpdated,
} from './fixture.js';

describe('dead-letter replay while new messages arrive', () => {
  const topic = unique('test.consumer.replay');
  const group = unique('test-replay');
  const otherGroup = unique('test-replay-other');
  const kafka: Kafka = testKafka('replay-test');
  const { logger, metrics } = quietTelemetry();
  const poisoned = new Set<string>();
  const handled: string[] = [];
  const otherHandled: string[] = [];
  const alice = randomUUID();
  const bob = randomUUID();
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let producer: Producer;
  let other: ConsumerRunner;
  const runners: ConsumerRunner[] = [];

  function startRunner(groupId: string, record: (event: DomainEvent) => Promise<void>): Promise<ConsumerRunner> {
    const runner = createConsumerRunner({
      groupId,
      topics: [topic],
      handlers: { UserCreated: record, UserUpdated: record },
      kafka,
      pool: database.pool,
      logger,
      metrics,
      retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20 },
    });
    runners.push(runner);
    return runner.start().then(() => runner);
  }

  const recordInto = (into: string[]) => (event: DomainEvent) => {
    if (into === handled && poisoned.has(event.aggregateId)) return Promise.reject(new RetriableError('downstream refuses'));
    into.push(`${event.aggregateId === alice ? 'alice' : 'bob'}:${event.version}`);
    return Promise.resolve();
  };

  async function sourceEnd(): Promise<number> {
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    return Number(offsets[0]?.high);
  }

  beforeAll(async () => {
    database = await createDatabase('consumer_replay');
    await createTopicsWithDlt(kafka, [topic], 1);
    producer = createProducer(kafka);
    await producer.connect();
    other = await startRunner(otherGroup, recordInto(otherHandled));
  }, 60_000);

  afterAll(async () => {
    for (const runner of runners) await runner.stop();
    await producer.disconnect();
    await deleteTopics(kafka, [topic]);
    await database.drop();
  }, 60_000);

  it('given a parked key and a message for it published while the consumer is down, when a replay runs, then its entries and the new message are handled in order and the key is freed', async () => {
    const first = await startRunner(group, recordInto(handled));
    poisoned.add(alice);
    await publish(producer, topic, [userCreated(alice), userUpdated(alice, 2, 'Alice Kim'), userCreated(bob)]);
    await eventually(async () => handled.includes('bob:1') && (await readAll(kafka, deadLetterTopicFor(topic))).length === 2);
    await first.stop();
    poisoned.delete(alice);
    await publish(producer, topic, [userUpdated(alice, 3, 'Alice Park')]);

    // The replay hands the key over and republishes its two entries behind the new message; the
    // consumer is down, so the replay waits.
    const replay = executeReplay({ kafka, pool: database.pool, topic, group, logger, timeoutMs: 30_000, pollIntervalMs: 50 });
    await eventually(async () => (await sourceEnd()) === 6);
    const concurrent = executeReplay({ kafka, pool: database.pool, topic, group, logger, timeoutMs: 1_000 });
    await expect(concurrent).rejects.toBeInstanceOf(ReplayInProgressError);

    // The restarted consumer meets the new message first: it follows the parked key into the DLT,
    // the copies are handled, and the replay sends the follower back in a second round.
    await startRunner(group, recordInto(handled));
    const report: ReplayReport = await replay;

    expect(report.keys).toEqual([{ key: alice, partition: 0, replayed: 3, outcome: 'unparked' }]);
    expect(handled).toEqual(['bob:1', 'alice:1', 'alice:2', 'alice:3']);
  }, 60_000);

  it('given the freed key, when its next message arrives, then it is handled at once', async () => {
    await publish(producer, topic, [userUpdated(alice, 4, 'Alice Park-Kim')]);

    await eventually(() => handled.includes('alice:4'));
    expect(handled).toEqual(['bob:1', 'alice:1', 'alice:2', 'alice:3', 'alice:4']);
  }, 60_000);

  it('given another group on the same topic, when the copies pass by, then it skips them and handled each event once', async () => {
    await eventually(() => otherHandled.includes('alice:4'));

    expect(otherHandled).toEqual(['alice:1', 'alice:2', 'bob:1', 'alice:3', 'alice:4']);
    expect(await other.readiness.check(new AbortController().signal)).toBeUndefined();
  }, 60_000);
});
