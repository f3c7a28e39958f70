import { randomUUID } from 'node:crypto';
import { createTestMongoDatabase, type TestMongoDatabase } from '@msa/local';
import type { Kafka, Producer } from 'kafkajs';
import { createProducer } from '../../src/kafka/producer.js';
import type { Collection } from 'mongodb';
import { createConsumerRunner, type ConsumerRunner, type HandlerContext } from '../../src/consumer/index.js';
import {
  versionedProjection,
  type ProjectionOutcome,
  type VersionedDocument,
  type VersionedProjection,
} from '../../src/projection/index.js';
import {
  createDatabase,
  createTopicsWithDlt,
  deleteTopics,
  eventually,
  publish,
  quietTelemetry,
  testKafka,
  unique,
  userCreated,
  userUpdated,
} from './fixture.js';

interface Profile extends VersionedDocument {
  readonly email: string;
  readonly name: string;
}

describe('consumer runner: redelivery', () => {
  const topic = unique('test.consumer.redelivery');
  const group = unique('test-redelivery');
  const kafka: Kafka = testKafka('redelivery-test');
  const { logger, metrics } = quietTelemetry();
  let mongo: TestMongoDatabase;
  let profiles: Collection<Profile>;
  let projection: VersionedProjection<Profile>;
  const calls: string[] = [];
  const outcomes: ProjectionOutcome[] = [];
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let producer: Producer;
  let runner: ConsumerRunner;

  async function countRows(eventId: string): Promise<number> {
    const { rows } = await database.pool.query<{ count: string }>('select count(*) from welcome_emails where event_id = $1', [eventId]);
    return Number(rows[0]?.count);
  }

  beforeAll(async () => {
    mongo = await createTestMongoDatabase('redelivery');
    profiles = mongo.db.collection<Profile>('profiles');
    projection = versionedProjection(profiles);
    database = await createDatabase('consumer_redelivery');
    await database.pool.query('create table welcome_emails (event_id uuid primary key, user_id uuid not null)');
    await createTopicsWithDlt(kafka, [topic], 1);
    producer = createProducer(kafka);
    await producer.connect();
    runner = createConsumerRunner({
      groupId: group,
      topics: [topic],
      handlers: {
        UserCreated: async (event, { tx }: HandlerContext) => {
          calls.push(event.eventId);
          // A plain insert: a second run of this handler for the same event would fail on the key.
          await tx.client.query('insert into welcome_emails (event_id, user_id) values ($1, $2)', [event.eventId, event.aggregateId]);
          const { email, name } = event.payload;
          outcomes.push(await projection.upsert(event.aggregateId, event.version, { email, name }, { tx }));
        },
        UserUpdated: async (event, { tx }: HandlerContext) => {
          calls.push(event.eventId);
          outcomes.push(await projection.update(event.aggregateId, event.version, { $set: { name: event.payload.name } }, { tx }));
        },
      },
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
    await mongo.drop();
    await database.drop();
  }, 60_000);

  it('given a message delivered twice, when both are consumed, then the handler runs once and the second changes nothing', async () => {
    const user = randomUUID();
    const created = userCreated(user, 'Han Jisoo');

    await publish(producer, topic, [created, created]);
    await eventually(async () => (await metrics.registry.getSingleMetricAsString('consumer_handled_total')).includes('outcome="duplicate"} 1'));

    expect(calls.filter((id) => id === created.eventId)).toHaveLength(1);
    expect(await countRows(created.eventId)).toBe(1);
    expect(await profiles.findOne({ _id: user })).toMatchObject({ name: 'Han Jisoo', version: 1 });
    expect(await metrics.registry.getSingleMetricAsString('consumer_handled_total')).toContain(
      `consumer_handled_total{topic="${topic}",group="${group}",outcome="processed"} 1`,
    );
  }, 60_000);

  it('given events the inbox has not seen but the read model has (a re-publication), when consumed, then the version guard ignores them', async () => {
    const user = randomUUID();
    const created = userCreated(user, 'Seo Yuna');
    const renamed = userUpdated(user, 2, 'Seo Yu-na');
    await publish(producer, topic, [created, renamed]);
    await eventually(async () => (await profiles.findOne({ _id: user }))?.version === 2);
    outcomes.length = 0;

    const republished = [
      { ...renamed, eventId: randomUUID(), payload: { ...renamed.payload, name: 'Stale Name' } },
      { ...created, eventId: randomUUID(), payload: { ...created.payload, name: 'Older Name' } },
    ];
    await publish(producer, topic, republished);
    await eventually(() => outcomes.length === 2);

    expect(outcomes).toEqual(['stale', 'stale']);
    expect(await profiles.findOne({ _id: user })).toEqual({ _id: user, email: created.payload.email, name: 'Seo Yu-na', version: 2 });
  }, 60_000);
});
