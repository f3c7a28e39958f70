import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@msa/contracts';
import { createTestTopics } from '@msa/local';
import { readDeadLetterInfo } from '../../../src/consumer/dead-letter/headers.js';
import { ConsumerConfigError, RetriableError, type HandlerContext } from '../../../src/consumer/index.js';
import { eventually, unique, userCreated } from '../fixture.js';
import { TWO_QUICK_ATTEMPTS, useConsumerTestbed } from '../testbed.js';

describe('consumer runner: the handler transaction', () => {
  const bed = useConsumerTestbed('consumer_tx');
  const failOnce = new Set<string>();
  const swallow = new Set<string>();
  const afterCommit: string[] = [];
  let topic: string;

  async function handle(event: DomainEvent, { tx, attempt }: HandlerContext): Promise<void> {
    await tx.client.query('insert into effects (event_id, attempt) values ($1, $2)', [event.eventId, attempt]);
    tx.afterCommit(() => afterCommit.push(`${event.eventId}:${attempt}`));
    if (failOnce.delete(event.aggregateId)) throw new RetriableError('lost the race for a row lock');
    if (swallow.has(event.aggregateId)) {
      await tx.client.query('select 1 / 0').catch(() => undefined);
    }
  }

  async function effects(eventId: string): Promise<number[]> {
    const { rows } = await bed.database.pool.query<{ attempt: number }>('select attempt from effects where event_id = $1', [eventId]);
    return rows.map((row) => row.attempt);
  }

  beforeAll(async () => {
    await bed.database.pool.query('create table effects (event_id uuid not null, attempt int not null)');
    topic = await bed.createTopic('test.consumer.tx');
    await bed.startRunner({ groupId: unique('test-tx'), topics: [topic], handlers: { UserCreated: handle }, retry: TWO_QUICK_ATTEMPTS });
  });

  it('given a handler that fails after writing, when retried, then only the successful attempt’s effects and hooks remain', async () => {
    const user = randomUUID();
    const event = userCreated(user);
    failOnce.add(user);

    await bed.publish(topic, [event]);
    await eventually(async () => (await effects(event.eventId)).length > 0);

    expect(await effects(event.eventId)).toEqual([2]);
    expect(afterCommit).toEqual([`${event.eventId}:2`]);
  }, 60_000);

  it('given a handler that swallows a failed statement, when its transaction commits, then that is a failure, not a silent loss', async () => {
    const user = randomUUID();
    const event = userCreated(user);
    swallow.add(user);

    await bed.publish(topic, [event]);
    await eventually(async () => (await bed.deadLetters(topic)).length === 1);
    const [deadLetter] = await bed.deadLetters(topic);

    expect(readDeadLetterInfo(deadLetter?.headers ?? {})).toMatchObject({
      reason: 'failed',
      attempts: 2,
      errorClass: 'AbortedTransaction',
    });
    expect(await effects(event.eventId)).toEqual([]);
    const { rows } = await bed.database.pool.query('select 1 from consumer_inbox where event_id = $1', [event.eventId]);
    expect(rows).toHaveLength(0);
  }, 60_000);

  it('given a source topic without its DLT, when a runner starts, then it refuses naming the topic and creates nothing', async () => {
    const lonely = unique('test.consumer.nodlt');
    const admin = bed.kafka.admin();
    await admin.connect();
    await createTestTopics(admin, [{ topic: lonely, numPartitions: 1 }]);
    const starting = bed.createRunner({ groupId: unique('test-nodlt'), topics: [lonely], handlers: {} });

    const started = starting.start();

    await expect(started).rejects.toBeInstanceOf(ConsumerConfigError);
    await expect(started).rejects.toThrow(`${lonely}.DLT`);
    expect(await admin.listTopics()).not.toContain(`${lonely}.DLT`);
    await expect(starting.readiness.check(new AbortController().signal)).rejects.toThrow('stopped');
    await admin.deleteTopics({ topics: [lonely] });
    await admin.disconnect();
  }, 60_000);
});
