import { randomUUID } from 'node:crypto';
import type { EventOf } from '@msa/contracts';
import { createTestMongoDatabase, type TestMongoDatabase } from '@msa/local';
import type { Collection } from 'mongodb';
import type { HandlerContext } from '../../../src/consumer/index.js';
import {
  mongoReadModel,
  type MongoReadModel,
  type ProjectionOutcome,
  type VersionedDocument,
} from '../../../src/projection/index.js';
import { eventually, unique, userCreated, userUpdated } from '../fixture.js';
import { TWO_QUICK_ATTEMPTS, useConsumerTestbed } from '../testbed.js';

type UserEvent = EventOf<'UserCreated'> | EventOf<'UserUpdated'>;

interface Profile extends VersionedDocument {
  readonly email: string;
  readonly name: string;
}

describe('consumer runner: redelivery', () => {
  const bed = useConsumerTestbed('consumer_redelivery');
  const group = unique('test-redelivery');
  const calls: string[] = [];
  const outcomes: ProjectionOutcome[] = [];
  let topic: string;
  let mongo: TestMongoDatabase;
  let profiles: Collection<Profile>;
  let readModel: MongoReadModel<Profile, UserEvent>;

  async function countRows(eventId: string): Promise<number> {
    const { rows } = await bed.database.pool.query<{ count: string }>('select count(*) from welcome_emails where event_id = $1', [eventId]);
    return Number(rows[0]?.count);
  }

  beforeAll(async () => {
    mongo = await createTestMongoDatabase('redelivery');
    readModel = mongoReadModel<Profile, UserEvent>(mongo.db, {
      name: 'profiles',
      handles: ['UserCreated', 'UserUpdated'],
      evolve: (profile, event) =>
        event.eventType === 'UserCreated'
          ? { email: event.payload.email, name: event.payload.name }
          : profile && { email: profile.email, name: event.payload.name ?? profile.name },
    });
    profiles = await readModel.collection();
    await bed.database.pool.query('create table welcome_emails (event_id uuid primary key, user_id uuid not null)');
    topic = await bed.createTopic('test.consumer.redelivery');
    await bed.startRunner({
      groupId: group,
      topics: [topic],
      handlers: {
        UserCreated: async (event, { tx }: HandlerContext) => {
          calls.push(event.eventId);
          // A plain insert: a second run of this handler for the same event would fail on the key.
          await tx.client.query('insert into welcome_emails (event_id, user_id) values ($1, $2)', [event.eventId, event.aggregateId]);
          outcomes.push(await readModel.project(event, { tx }));
        },
        UserUpdated: async (event, { tx }: HandlerContext) => {
          calls.push(event.eventId);
          outcomes.push(await readModel.project(event, { tx }));
        },
      },
      retry: TWO_QUICK_ATTEMPTS,
    });
  });

  // Runs after the testbed's own afterAll, so the runner has stopped writing to it.
  afterAll(async () => {
    await mongo.drop();
  });

  it('given a message delivered twice, when both are consumed, then the handler runs once and the second changes nothing', async () => {
    const user = randomUUID();
    const created = userCreated(user, 'Han Jisoo');

    await bed.publish(topic, [created, created]);
    await eventually(async () => (await bed.metrics.registry.getSingleMetricAsString('consumer_handled_total')).includes('outcome="duplicate"} 1'));

    expect(calls.filter((id) => id === created.eventId)).toHaveLength(1);
    expect(await countRows(created.eventId)).toBe(1);
    expect(await profiles.findOne({ _id: user })).toMatchObject({ name: 'Han Jisoo', version: 1 });
    expect(await bed.metrics.registry.getSingleMetricAsString('consumer_handled_total')).toContain(
      `consumer_handled_total{topic="${topic}",group="${group}",outcome="processed"} 1`,
    );
  }, 60_000);

  it('given events the inbox has not seen but the read model has (a re-publication), when consumed, then the version guard ignores them', async () => {
    const user = randomUUID();
    const created = userCreated(user, 'Seo Yuna');
    const renamed = userUpdated(user, 2, 'Seo Yu-na');
    await bed.publish(topic, [created, renamed]);
    await eventually(async () => (await profiles.findOne({ _id: user }))?.version === 2);
    outcomes.length = 0;

    const republished = [
      { ...renamed, eventId: randomUUID(), payload: { ...renamed.payload, name: 'Stale Name' } },
      { ...created, eventId: randomUUID(), payload: { ...created.payload, name: 'Older Name' } },
    ];
    await bed.publish(topic, republished);
    await eventually(() => outcomes.length === 2);

    expect(outcomes).toEqual(['stale', 'stale']);
    expect(await profiles.findOne({ _id: user })).toEqual({ _id: user, email: created.payload.email, name: 'Seo Yu-na', version: 2 });
  }, 60_000);
});
