import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@msa/contracts';
import type { HandlerContext } from '../../src/consumer/index.js';
import { createEventStore, type EventStore } from '../../src/event-store/event-store.js';
import { eventStoreMigrations } from '../../src/event-store/schema.js';
import { migrate } from '../../src/postgres/migrate.js';
import { eventually, gate, quietTelemetry, unique, userCreated, userUpdated, type Gate } from './fixture.js';
import { useConsumerTestbed } from './testbed.js';

describe('consumer runner: what the handler transaction holds while the handler works', () => {
  const bed = useConsumerTestbed('consumer_horizon');
  const attempts = new Map<string, number[]>();
  // Per consumed event: the handler waits at this gate after it started, before it reads the stream.
  const waits = new Map<string, { started: Gate; proceed: Gate }>();
  let store: EventStore;
  let otherProcess: EventStore;

  function waitFor(event: DomainEvent): { started: Gate; proceed: Gate } {
    const pair = { started: gate(), proceed: gate() };
    waits.set(event.eventId, pair);
    return pair;
  }

  /** Appends a rename to the consumed user's stream at the version it reads, after its gate opens. */
  async function renameAfterWaiting(event: DomainEvent, { tx, attempt }: HandlerContext): Promise<void> {
    attempts.set(event.eventId, [...(attempts.get(event.eventId) ?? []), attempt]);
    const wait = waits.get(event.eventId);
    wait?.started.open();
    await wait?.proceed.opened;
    const streamId = `user-${event.aggregateId}`;
    const { version } = await store.readStream(streamId, { tx });
    await store.append(streamId, version, [userUpdated(event.aggregateId, version + 1, `renamed by ${event.eventId}`)], { tx });
  }

  beforeAll(async () => {
    await migrate(bed.database.pool, eventStoreMigrations);
    const { logger } = quietTelemetry();
    store = createEventStore({ pool: bed.database.pool, logger });
    otherProcess = createEventStore({ pool: bed.database.pool, logger });
  });

  it('given another writer appends to the stream while the handler waits, when the handler appends at the version it then reads, then its first attempt succeeds', async () => {
    const topic = await bed.createTopic('test.consumer.horizon');
    const { metrics } = quietTelemetry();
    await bed.startRunner({ groupId: unique('test-horizon'), topics: [topic], handlers: { UserCreated: renameAfterWaiting }, metrics });
    const userId = randomUUID();
    const streamId = `user-${userId}`;
    await otherProcess.append(streamId, 0, [userCreated(userId)]);
    const consumed = userCreated(userId);
    const { started, proceed } = waitFor(consumed);

    await bed.publish(topic, [consumed]);
    await started.opened;
    await otherProcess.append(streamId, 1, [userUpdated(userId, 2, 'renamed meanwhile')]);
    proceed.open();
    await eventually(async () => (await store.readStream(streamId)).version === 3);

    expect(attempts.get(consumed.eventId)).toEqual([1]);
    expect(await total(metrics.consumerRetries)).toBe(0);
  }, 60_000);

  it('given one event delivered on two partitions at once, when both deliveries pass the inbox read, then one commits its effects and the other rolls its back', async () => {
    const topic = await bed.createTopic('test.consumer.horizon', 2);
    const { metrics } = quietTelemetry();
    const entered: string[] = [];
    const bothIn = gate();
    const insertEffect = async (event: DomainEvent, { tx }: HandlerContext): Promise<void> => {
      await tx.client.query('insert into effects (event_id) values ($1)', [event.eventId]);
      entered.push(event.eventId);
      if (entered.length === 2) bothIn.open();
      await bothIn.opened;
    };
    await bed.database.pool.query('create table effects (event_id uuid not null)');
    await bed.startRunner({
      groupId: unique('test-horizon'),
      topics: [topic],
      handlers: { UserCreated: insertEffect },
      metrics,
      partitionsConsumedConcurrently: 2,
    });
    const event = userCreated(randomUUID());

    await bed.publish(topic, [event], 0);
    await bed.publish(topic, [event], 1);
    await eventually(async () => (await total(metrics.consumerHandled)) === 2);

    const { rows } = await bed.database.pool.query('select 1 from effects where event_id = $1', [event.eventId]);
    expect(entered).toEqual([event.eventId, event.eventId]);
    expect(rows).toHaveLength(1);
    expect((await metrics.consumerHandled.get()).values.map(({ labels, value }) => [labels.outcome, value]).toSorted()).toEqual([
      ['duplicate', 1],
      ['processed', 1],
    ]);
  }, 60_000);
});

async function total(metric: { get(): Promise<{ values: readonly { value: number }[] }> }): Promise<number> {
  return (await metric.get()).values.reduce((sum, { value }) => sum + value, 0);
}
