import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@msa/contracts';
import { RetriableError, type ConsumerRunner } from '../../../src/consumer/index.js';
import { executeReplay, ReplayInProgressError, type ReplayReport } from '../../../src/consumer/replay/replay.js';
import { withAdmin } from '../../../src/kafka/admin.js';
import { eventually, unique, userCreated, userUpdated } from '../fixture.js';
import { TWO_QUICK_ATTEMPTS, useConsumerTestbed } from '../testbed.js';

describe('dead-letter replay while new messages arrive', () => {
  const bed = useConsumerTestbed('consumer_replay');
  const group = unique('test-replay');
  const poisoned = new Set<string>();
  const handled: string[] = [];
  const otherHandled: string[] = [];
  const alice = randomUUID();
  const bob = randomUUID();
  let topic: string;
  let other: ConsumerRunner;

  function startRunner(groupId: string, record: (event: DomainEvent) => Promise<void>): Promise<ConsumerRunner> {
    return bed.startRunner({ groupId, topics: [topic], handlers: { UserCreated: record, UserUpdated: record }, retry: TWO_QUICK_ATTEMPTS });
  }

  const recordInto = (into: string[]) => (event: DomainEvent) => {
    if (into === handled && poisoned.has(event.aggregateId)) return Promise.reject(new RetriableError('downstream refuses'));
    into.push(`${event.aggregateId === alice ? 'alice' : 'bob'}:${event.version}`);
    return Promise.resolve();
  };

  const sourceEnd = () => withAdmin(bed.kafka, async (admin) => Number((await admin.fetchTopicOffsets(topic))[0]?.high));

  const replay = (timeoutMs: number) =>
    executeReplay({ kafka: bed.kafka, pool: bed.database.pool, topic, group, logger: bed.logger, timeoutMs, pollIntervalMs: 50 });

  beforeAll(async () => {
    topic = await bed.createTopic('test.consumer.replay');
    other = await startRunner(unique('test-replay-other'), recordInto(otherHandled));
  });

  it('given a parked key and a message for it published while the consumer is down, when a replay runs, then its entries and the new message are handled in order and the key is freed', async () => {
    const first = await startRunner(group, recordInto(handled));
    poisoned.add(alice);
    await bed.publish(topic, [userCreated(alice), userUpdated(alice, 2, 'Alice Kim'), userCreated(bob)]);
    await eventually(async () => handled.includes('bob:1') && (await bed.deadLetters(topic)).length === 2);
    await first.stop();
    poisoned.delete(alice);
    await bed.publish(topic, [userUpdated(alice, 3, 'Alice Park')]);

    // The replay hands the key over and republishes its two entries behind the new message; the
    // consumer is down, so the replay waits.
    const replaying = replay(30_000);
    await eventually(async () => (await sourceEnd()) === 6);
    const concurrent = replay(1_000);
    await expect(concurrent).rejects.toBeInstanceOf(ReplayInProgressError);

    // The restarted consumer meets the new message first: it follows the parked key into the DLT,
    // the copies are handled, and the replay sends the follower back in a second round.
    await startRunner(group, recordInto(handled));
    const report: ReplayReport = await replaying;

    expect(report.keys).toEqual([{ key: alice, partition: 0, replayed: 3, outcome: 'unparked' }]);
    expect(handled).toEqual(['bob:1', 'alice:1', 'alice:2', 'alice:3']);
  }, 60_000);

  it('given the freed key, when its next message arrives, then it is handled at once', async () => {
    await bed.publish(topic, [userUpdated(alice, 4, 'Alice Park-Kim')]);

    await eventually(() => handled.includes('alice:4'));
    expect(handled).toEqual(['bob:1', 'alice:1', 'alice:2', 'alice:3', 'alice:4']);
  }, 60_000);

  it('given another group on the same topic, when the copies pass by, then it skips them and handled each event once', async () => {
    await eventually(() => otherHandled.includes('alice:4'));

    expect(otherHandled).toEqual(['alice:1', 'alice:2', 'bob:1', 'alice:3', 'alice:4']);
    expect(await other.readiness.check(new AbortController().signal)).toBeUndefined();
  }, 60_000);
});
