import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@msa/contracts';
import type { HandlerContext } from '../../../src/consumer/index.js';
import { eventually, unique, userCreated, userUpdated } from '../fixture.js';
import { useConsumerTestbed } from '../testbed.js';

/** What pg rejects a query with while PostgreSQL refuses connections: a plain socket error. */
function refusedConnection(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
}

describe('consumer runner: a dependency down for longer than the attempts last', () => {
  const bed = useConsumerTestbed('consumer_outage');
  const group = unique('test-outage');
  const attempts = new Map<string, number>();
  let failuresLeft = 0;
  let topic: string;

  async function record(event: DomainEvent, { tx }: HandlerContext): Promise<void> {
    attempts.set(event.eventId, (attempts.get(event.eventId) ?? 0) + 1);
    if (failuresLeft > 0) {
      failuresLeft--;
      throw refusedConnection();
    }
    await tx.client.query('insert into handled (event_id, version) values ($1, $2)', [event.eventId, event.version]);
  }

  async function handledVersions(): Promise<number[]> {
    const { rows } = await bed.database.pool.query<{ version: number }>('select version from handled order by seq');
    return rows.map((row) => row.version);
  }

  beforeAll(async () => {
    await bed.database.pool.query('create table handled (seq bigserial primary key, event_id uuid not null, version int not null)');
    topic = await bed.createTopic('test.consumer.outage');
    await bed.startRunner({
      groupId: group,
      topics: [topic],
      handlers: { UserCreated: record, UserUpdated: record },
      retry: { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 50 },
      commitIntervalMs: 0,
    });
  });

  it('given a handler whose store refuses connections for more tries than maxAttempts, when it comes back, then the message is handled once and nothing is dead-lettered', async () => {
    const alice = randomUUID();
    const created = userCreated(alice);
    const renamed = userUpdated(alice, 2, 'Alice Kim');
    failuresLeft = 7;

    await bed.publish(topic, [created, renamed]);

    await eventually(async () => (await handledVersions()).length === 2);
    expect(await handledVersions()).toEqual([1, 2]);
    expect(attempts.get(created.eventId)).toBe(8);
    expect(attempts.get(renamed.eventId)).toBe(1);
    expect(await bed.deadLetters(topic)).toEqual([]);
  });
});
