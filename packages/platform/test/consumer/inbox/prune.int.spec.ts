import { randomUUID } from 'node:crypto';
import type { Counter } from 'prom-client';
import { countPrunableInboxRows, pruneInbox, type InboxPruneResult } from '../../../src/consumer/inbox/prune.js';
import { ConsumerConfigError } from '../../../src/consumer/index.js';
import { ensureConsumerSchema } from '../../../src/consumer/schema.js';
import { eventually, quietTelemetry, unique, userCreated } from '../fixture.js';
import { useConsumerTestbed } from '../testbed.js';

const DAY = 86_400_000;
const HOUR_MS = String(3_600_000);

describe('inbox pruning', () => {
  const bed = useConsumerTestbed('consumer_inbox_pruning');

  /** Inbox rows of `group` handled `age` ago (a PostgreSQL interval such as '30 days'). */
  async function seed(group: string, rows: number, age: string): Promise<void> {
    await bed.database.pool.query(
      `insert into consumer_inbox (consumer_group, event_id, topic, partition, "offset", handled_at)
       select $1, gen_random_uuid(), 'test.topic', 0, n, now() - $2::interval from generate_series(1, $3) as n`,
      [group, age, rows],
    );
  }

  async function rowsOf(group: string): Promise<{ old: number; recent: number }> {
    const { rows } = await bed.database.pool.query<{ old: string; recent: string }>(
      `select count(*) filter (where handled_at < now() - interval '1 day') as old,
              count(*) filter (where handled_at >= now() - interval '1 day') as recent
       from consumer_inbox where consumer_group = $1`,
      [group],
    );
    return { old: Number(rows[0]?.old), recent: Number(rows[0]?.recent) };
  }

  beforeAll(async () => {
    await ensureConsumerSchema(bed.database.pool);
  });

  it('given old and recent rows of two groups, when one group is pruned, then only its old rows go, in batches', async () => {
    const group = unique('test-prune');
    const other = unique('test-prune-other');
    await seed(group, 250, '30 days');
    await seed(group, 20, '2 hours');
    await seed(other, 40, '30 days');
    const batches: number[] = [];

    const before = await countPrunableInboxRows(bed.database.pool, { retentionMs: DAY, group });
    const result = await pruneInbox({
      pool: bed.database.pool,
      group,
      retentionMs: DAY,
      batchSize: 100,
      onBatch: (deleted) => {
        batches.push(deleted);
      },
    });

    expect(before.groups).toEqual([{ group, rows: 250, topics: ['test.topic'] }]);
    expect(result).toMatchObject({ kind: 'pruned', deleted: 250, batches: 3, interrupted: false });
    expect(batches).toEqual([100, 100, 50]);
    expect(await rowsOf(group)).toEqual({ old: 0, recent: 20 });
    expect(await rowsOf(other)).toEqual({ old: 40, recent: 0 });
  });

  it('given the inbox, when its indexes are listed, then one serves pruning by group and handling time', async () => {
    const { rows } = await bed.database.pool.query<{ indexdef: string }>(
      `select indexdef from pg_indexes where tablename = 'consumer_inbox' and indexname = 'consumer_inbox_handled_at'`,
    );

    expect(rows[0]?.indexdef).toContain('(consumer_group, handled_at)');
  });

  it('given a prune under way, when a second prune of the same group starts, then it finds the group busy and deletes nothing', async () => {
    const group = unique('test-prune-lock');
    await seed(group, 300, '30 days');
    let second: InboxPruneResult | undefined;
    let countDuringFirst: number | undefined;

    const first = await pruneInbox({
      pool: bed.database.pool,
      group,
      retentionMs: DAY,
      batchSize: 100,
      // Between the first prune's batches, while it holds the group's lock.
      onBatch: async () => {
        if (second !== undefined) return;
        second = await pruneInbox({ pool: bed.database.pool, group, retentionMs: DAY, batchSize: 100 });
        countDuringFirst = (await rowsOf(group)).old;
      },
    });

    expect(second).toEqual({ kind: 'busy' });
    expect(countDuringFirst).toBe(200);
    expect(first).toMatchObject({ kind: 'pruned', deleted: 300, batches: 3 });
    expect(await pruneInbox({ pool: bed.database.pool, group, retentionMs: DAY, batchSize: 100 })).toMatchObject({
      kind: 'pruned',
      deleted: 0,
    });
  });

  it('given a retention under a day, when pruned, then it refuses before deleting anything', async () => {
    const group = unique('test-prune-short');
    await seed(group, 5, '2 hours');

    await expect(pruneInbox({ pool: bed.database.pool, group, retentionMs: 3_600_000, batchSize: 100 })).rejects.toThrow(
      /inbox prune retentionMs: must be at least 86400000 ms/,
    );
    expect(await rowsOf(group)).toEqual({ old: 0, recent: 5 });
  });

  it('given a runner pruning every second over topics that keep messages an hour, when it runs, then the old rows go, handled events stay and the counter counts them', async () => {
    const topic = await bed.createTopic('test.consumer.prune', 1, { 'retention.ms': HOUR_MS, 'segment.ms': HOUR_MS });
    const group = unique('test-prune-runner');
    const { metrics } = quietTelemetry();
    await seed(group, 30, '3 days');
    const handled: string[] = [];
    await bed.startRunner({
      groupId: group,
      topics: [topic],
      handlers: { UserCreated: (event) => Promise.resolve(void handled.push(event.eventId)) },
      metrics,
      inboxPruning: { retentionMs: DAY, intervalMs: 1_000, batchSize: 7 },
    });
    await bed.publish(topic, [userCreated(randomUUID())]);

    await eventually(async () => handled.length === 1 && (await rowsOf(group)).old === 0);
    const pruned = metrics.registry.getSingleMetric('consumer_inbox_pruned_total') as Counter | undefined;

    expect(await rowsOf(group)).toEqual({ old: 0, recent: 1 });
    expect((await pruned?.get())?.values).toEqual([{ labels: { group }, value: 30 }]);
  });

  it('given topics that keep messages longer than the inbox retention allows, when a runner starts, then it refuses naming them', async () => {
    // Segments of a minute: the topics keep messages two days, give or take a minute.
    const topic = await bed.createTopic('test.consumer.prune-long', 1, { 'retention.ms': String(2 * DAY), 'segment.ms': '60000' });
    const runner = bed.createRunner({
      groupId: unique('test-prune-refused'),
      topics: [topic],
      handlers: { UserCreated: () => Promise.resolve() },
      inboxPruning: { retentionMs: 3 * DAY },
    });

    const started = runner.start();

    await expect(started).rejects.toBeInstanceOf(ConsumerConfigError);
    await expect(started).rejects.toThrow(
      `inbox retention 3 days must exceed each topic's retention plus its DLT's: ${topic} keeps messages 2 days and its DLT 2 days`,
    );
  });

  it('given topics whose retention fits but whose segments roll weekly (the broker default), when a runner starts, then it counts the segments and refuses', async () => {
    const topic = await bed.createTopic('test.consumer.prune-segments', 1, { 'retention.ms': String(DAY) });
    const runner = bed.createRunner({
      groupId: unique('test-prune-segments'),
      topics: [topic],
      handlers: { UserCreated: () => Promise.resolve() },
      inboxPruning: { retentionMs: 3 * DAY },
    });

    const started = runner.start();

    await expect(started).rejects.toBeInstanceOf(ConsumerConfigError);
    await expect(started).rejects.toThrow(`${topic} keeps messages 8 days and its DLT 8 days`);
  });

  it('given pruning turned off, when a runner starts over such topics, then it starts', async () => {
    const topic = await bed.createTopic('test.consumer.prune-off', 1, { 'retention.ms': String(2 * DAY) });

    const runner = await bed.startRunner({
      groupId: unique('test-prune-off'),
      topics: [topic],
      handlers: { UserCreated: () => Promise.resolve() },
      inboxPruning: { enabled: false, retentionMs: 3 * DAY },
    });

    await expect(runner.readiness.check(new AbortController().signal)).resolves.toBeUndefined();
  });
});
