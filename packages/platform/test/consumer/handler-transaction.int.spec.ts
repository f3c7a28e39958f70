import { randomUUID } from 'node:crypto';
import { deadLetterTopicFor, type DomainEvent } from '@msa/contracts';
import type { Kafka, Producer } from 'kafkajs';
import { createProducer } from '../../src/kafka/producer.js';
import { readDeadLetterInfo } from '../../src/consumer/headers.js';
import {
  ConsumerConfigError,
  createConsumerRunner,
  RetriableError,
  type ConsumerRunner,
  type HandlerContext,
} from '../../src/consumer/index.js';
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
} from './fixture.js';

describe('consumer runner: the handler transaction', () => {
  const topic = unique('test.consumer.tx');
  const group = unique('test-tx');
  const kafka: Kafka = testKafka('handler-tx-test');
  const { logger, metrics } = quietTelemetry();
  const failOnce = new Set<string>();
  const swallow = new Set<string>();
  const afterCommit: string[] = [];
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let producer: Producer;
  let runner: ConsumerRunner;

  async function handle(event: DomainEvent, { tx, attempt }: HandlerContext): Promise<void> {
    await tx.client.query('insert into effects (event_id, attempt) values ($1, $2)', [event.eventId, attempt]);
    tx.afterCommit(() => afterCommit.push(`${event.eventId}:${attempt}`));
    if (failOnce.delete(event.aggregateId)) throw new RetriableError('lost the race for a row lock');
    if (swallow.has(event.aggregateId)) {
      await tx.client.query('select 1 / 0').catch(() => undefined);
    }
  }

  async function effects(eventId: string): Promise<number[]> {
    const { rows } = await database.pool.query<{ attempt: number }>('select attempt from effects where event_id = $1', [eventId]);
    return rows.map((row) => row.attempt);
  }

  beforeAll(async () => {
    database = await createDatabase('consumer_tx');
    await database.pool.query('create table effects (event_id uuid not null, attempt int not null)');
    await createTopicsWithDlt(kafka, [topic], 1);
    producer = createProducer(kafka);
    await producer.connect();
    runner = createConsumerRunner({
      groupId: group,
      topics: [topic],
      handlers: { UserCreated: handle },
      kafka,
      pool: database.pool,
      logger,
      metrics,
      retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20 },
    });
    await runner.start();
  }, 60_000);

  afterAll(async () => {
    await runner.stop();
    await producer.disconnect();
    await deleteTopics(kafka, [topic]);
    await database.drop();
  }, 60_000);

  it('given a handler that fails after writing, when retried, then only the successful attempt’s effects and hooks remain', async () => {
    const user = randomUUID();
    const event = userCreated(user);
    failOnce.add(user);

    await publish(producer, topic, [event]);
    await eventually(async () => (await effects(event.eventId)).length > 0);

    expect(await effects(event.eventId)).toEqual([2]);
    expect(afterCommit).toEqual([`${event.eventId}:2`]);
  }, 60_000);

  it('given a handler that swallows a failed statement, when its transaction commits, then that is a failure, not a silent loss', async () => {
    const user = randomUUID();
    const event = userCreated(user);
    swallow.add(user);

    await publish(producer, topic, [event]);
    await eventually(async () => (await readAll(kafka, deadLetterTopicFor(topic))).length === 1);
    const [deadLetter] = await readAll(kafka, deadLetterTopicFor(topic));

    expect(readDeadLetterInfo(deadLetter?.headers ?? {})).toMatchObject({
      reason: 'failed',
      attempts: 2,
      errorClass: 'AbortedTransaction',
    });
    expect(await effects(event.eventId)).toEqual([]);
    const { rows } = await database.pool.query('select 1 from consumer_inbox where event_id = $1', [event.eventId]);
    expect(rows).toHaveLength(0);
  }, 60_000);

  it('given a source topic without its DLT, when a runner starts, then it refuses naming the topic and creates nothing', async () => {
    const lonely = unique('test.consumer.nodlt');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: lonely, numPartitions: 1 }], waitForLeaders: true });
    const starting = createConsumerRunner({
      groupId: unique('test-nodlt'),
      topics: [lonely],
      handlers: {},
      kafka,
      pool: database.pool,
      logger,
      metrics,
    });

    const started = starting.start();

    await expect(started).rejects.toBeInstanceOf(ConsumerConfigError);
    await expect(started).rejects.toThrow(`${lonely}.DLT`);
    expect(await admin.listTopics()).not.toContain(`${lonely}.DLT`);
    await expect(starting.readiness.check(new AbortController().signal)).rejects.toThrow('stopped');
    await admin.deleteTopics({ topics: [lonely] });
    await admin.disconnect();
  }, 60_000);
});
