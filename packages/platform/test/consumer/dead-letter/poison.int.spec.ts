import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@msa/contracts';
import { DLT_HEADER, readDeadLetterInfo } from '../../../src/consumer/dead-letter/headers.js';
import { RetriableError, type HandlerContext } from '../../../src/consumer/index.js';
import { executeReplay, planDeadLetterReplay } from '../../../src/consumer/replay/replay.js';
import { eventually, unique, userCreated, userUpdated } from '../fixture.js';
import { useConsumerTestbed } from '../testbed.js';

describe('consumer runner: a poison message', () => {
  const bed = useConsumerTestbed('consumer_poison');
  const group = unique('test-poison');
  const poisoned = new Set<string>();
  const attempts = new Map<string, number>();
  let topic: string;

  const alice = randomUUID();
  const bob = randomUUID();
  const carol = randomUUID();

  async function record(event: DomainEvent, { tx }: HandlerContext): Promise<void> {
    attempts.set(event.eventId, (attempts.get(event.eventId) ?? 0) + 1);
    if (poisoned.has(event.aggregateId)) throw new RetriableError(`profile store rejects ${event.aggregateId}`);
    await tx.client.query('insert into handled (event_id, user_id, version) values ($1, $2, $3)', [
      event.eventId,
      event.aggregateId,
      event.version,
    ]);
  }

  async function handledVersions(userId: string): Promise<number[]> {
    const { rows } = await bed.database.pool.query<{ version: number }>(
      'select version from handled where user_id = $1 order by seq',
      [userId],
    );
    return rows.map((row) => row.version);
  }

  const replaySource = () => ({ kafka: bed.kafka, pool: bed.database.pool, topic, group });

  beforeAll(async () => {
    await bed.database.pool.query(
      'create table handled (seq bigserial primary key, event_id uuid not null, user_id uuid not null, version int not null)',
    );
    topic = await bed.createTopic('test.consumer.poison');
    await bed.startRunner({
      groupId: group,
      topics: [topic],
      handlers: { UserCreated: record, UserUpdated: record },
      retry: { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 50 },
      commitIntervalMs: 0,
    });
  });

  it('given a message that keeps failing, when consumed, then it is dead-lettered after its attempts while other keys flow and its key’s later messages follow it', async () => {
    poisoned.add(alice);
    const aliceCreated = userCreated(alice);
    const aliceRenamed = userUpdated(alice, 2, 'Alice Kim');
    const bobCreated = userCreated(bob);
    const bobRenamed = userUpdated(bob, 2, 'Bob Lee');

    await bed.publish(topic, [
      aliceCreated,
      bobCreated,
      { key: carol, raw: '{"eventType": "UserCreated", "schemaVersion": 2' },
      aliceRenamed,
      bobRenamed,
    ]);

    await eventually(async () => (await handledVersions(bob)).length === 2);
    await eventually(async () => (await bed.deadLetters(topic)).length === 3);
    const deadLetters = await bed.deadLetters(topic);
    const [first, unparseable, follower] = deadLetters.map((message) => ({ message, info: readDeadLetterInfo(message.headers) }));

    expect(await handledVersions(bob)).toEqual([1, 2]);
    expect(await handledVersions(alice)).toEqual([]);
    expect(attempts.get(aliceCreated.eventId)).toBe(3);
    expect(attempts.has(aliceRenamed.eventId)).toBe(false);
    expect(first?.message.key).toBe(alice);
    expect(first?.message.value).toBe(JSON.stringify(aliceCreated));
    expect(first?.message.headers['event-id']?.toString()).toBe(aliceCreated.eventId);
    expect(first?.info).toMatchObject({
      reason: 'failed',
      group,
      attempts: 3,
      errorClass: 'RetriableError',
      errorMessage: `profile store rejects ${alice}`,
      originalTopic: topic,
      originalPartition: 0,
      originalOffset: '0',
      originalKey: alice,
    });
    expect(unparseable?.info).toMatchObject({ reason: 'unparseable', attempts: 1, errorClass: 'SyntaxError', originalOffset: '2' });
    expect(follower?.message.key).toBe(alice);
    expect(follower?.info).toMatchObject({ reason: 'parked', attempts: 0, parkedBehind: '0', originalOffset: '3' });
    expect(follower?.message.headers[DLT_HEADER.parkedBehind]?.toString()).toBe('0');
  }, 60_000);

  it('given the dead letters, when metrics are read, then retries and dead letters are counted by reason', async () => {
    const text = await bed.metrics.registry.metrics();

    expect(text).toContain(`dlt_messages_total{topic="${topic}",reason="failed"} 1`);
    expect(text).toContain(`dlt_messages_total{topic="${topic}",reason="unparseable"} 1`);
    expect(text).toContain(`dlt_messages_total{topic="${topic}",reason="parked"} 1`);
    expect(text).toContain(`consumer_retries_total{topic="${topic}",group="${group}"} 2`);
    expect(text).toContain(`consumer_handled_total{topic="${topic}",group="${group}",outcome="processed"} 2`);
    expect(text).toMatch(new RegExp(`consumer_lag\\{topic="${topic.replaceAll('.', '\\.')}",partition="0",group="${group}"\\} 0`));
  });

  it('given the dead letters, when a replay is planned, then each key’s pending entries are listed in order and nothing moves', async () => {
    const plan = await planDeadLetterReplay(replaySource());

    expect(plan.keys.map(({ key, entries }) => ({ key, offsets: entries.map((entry) => entry.offset) }))).toEqual([
      { key: alice, offsets: ['0', '2'] },
      { key: carol, offsets: ['1'] },
    ]);
    expect(plan.keys[0]?.parked).toMatchObject({ headOffset: '0', lastDeadLetterOffset: '2', deadLettered: 2, replayId: null });
    expect(await handledVersions(alice)).toEqual([]);
  }, 60_000);

  it('given the cause is fixed, when the DLT is replayed, then the key’s events are handled in order and it is free; a message that still cannot be read is dead-lettered again', async () => {
    poisoned.delete(alice);

    const report = await executeReplay({ ...replaySource(), logger: bed.logger, timeoutMs: 30_000, pollIntervalMs: 50 });

    expect(report.keys).toEqual([
      { key: alice, partition: 0, replayed: 2, outcome: 'unparked' },
      { key: carol, partition: 0, replayed: 1, outcome: 'dead-lettered-again' },
    ]);
    expect(await handledVersions(alice)).toEqual([1, 2]);
    const after = await planDeadLetterReplay(replaySource());
    expect(after.keys.map(({ key, entries }) => ({ key, offsets: entries.map((entry) => entry.offset) }))).toEqual([
      { key: carol, offsets: ['3'] },
    ]);
  }, 60_000);

  it('given a replayed key, when its next event arrives, then it is handled directly', async () => {
    await bed.publish(topic, [userUpdated(alice, 3, 'Alice Park')]);

    await eventually(async () => (await handledVersions(alice)).length === 3);
    expect(await handledVersions(alice)).toEqual([1, 2, 3]);
    expect(await bed.deadLetters(topic)).toHaveLength(4);
  }, 60_000);
});
