import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DomainEvent } from '@msa/contracts';
import pg from 'pg';
import { readDeadLetterInfo } from '../../../src/consumer/dead-letter/headers.js';
import type { HandlerContext } from '../../../src/consumer/index.js';
import { createEventStore, type EventStore } from '../../../src/event-store/event-store.js';
import { eventStoreMigrations } from '../../../src/event-store/schema.js';
import { migrate } from '../../../src/postgres/migrate.js';
import { eventually, gate, quietTelemetry, unique, userCreated, userUpdated, type Gate } from '../fixture.js';
import { useConsumerTestbed } from '../testbed.js';

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
      // Should the deliveries come one after the other after all, the second finds the inbox row.
      await Promise.race([bothIn.opened, sleep(5_000)]);
    };
    await bed.database.pool.query('create table effects (event_id uuid not null)');
    const event = userCreated(randomUUID());
    // Both deliveries are in the topic before the runner starts, so its first fetch brings them together.
    await bed.publish(topic, [event], 0);
    await bed.publish(topic, [event], 1);

    await bed.startRunner({
      groupId: unique('test-horizon'),
      topics: [topic],
      handlers: { UserCreated: insertEffect },
      metrics,
      partitionsConsumedConcurrently: 2,
    });
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

describe('consumer runner: a handler waiting on something other than PostgreSQL', () => {
  const bed = useConsumerTestbed('consumer_stall');
  const sessions = new Map<string, number>();
  const settings = new Map<string, { isolation: string; statement: string; idle: string }>();
  const stalls = new Map<string, { started: Gate; release: Gate }>();
  const attempts = new Map<string, number[]>();

  /**
   * Stands in for a read-model handler on MongoDB: it locks the document in its PostgreSQL
   * transaction, as the versioned projection does, then waits on a call the test controls.
   */
  async function lockThenStall(event: DomainEvent, { tx, attempt }: HandlerContext): Promise<void> {
    attempts.set(event.eventId, [...(attempts.get(event.eventId) ?? []), attempt]);
    await tx.client.query('select pg_advisory_xact_lock(hashtext($1), hashtext($2))', ['stall', event.aggregateId]);
    const { rows } = await tx.client.query<{ pid: number; isolation: string; statement: string; idle: string }>(
      `select pg_backend_pid() as pid, current_setting('transaction_isolation') as isolation,
              current_setting('statement_timeout') as statement, current_setting('idle_in_transaction_session_timeout') as idle`,
    );
    const [session] = rows;
    if (session !== undefined) {
      sessions.set(event.eventId, session.pid);
      settings.set(event.eventId, { isolation: session.isolation, statement: session.statement, idle: session.idle });
    }
    const stall = stalls.get(event.eventId);
    stall?.started.open();
    await stall?.release.opened;
    await tx.client.query('insert into stalled_effects (event_id) values ($1)', [event.eventId]);
  }

  function stallOn(event: DomainEvent): { started: Gate; release: Gate } {
    const stall = { started: gate(), release: gate() };
    stalls.set(event.eventId, stall);
    return stall;
  }

  /** The relay's horizon: the oldest transaction still running anywhere on the server. */
  async function horizon(): Promise<bigint> {
    const { rows } = await bed.database.pool.query<{ xmin: string }>('select pg_snapshot_xmin(pg_current_snapshot())::text as xmin');
    return BigInt(rows[0]?.xmin ?? '0');
  }

  async function committedTransaction(): Promise<bigint> {
    const client = await bed.database.pool.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query<{ xid: string }>('insert into stalled_effects (event_id) values (gen_random_uuid()) returning pg_current_xact_id()::text as xid');
      await client.query('commit');
      return BigInt(rows[0]?.xid ?? '0');
    } finally {
      client.release();
    }
  }

  beforeAll(async () => {
    // A database whose sessions default to REPEATABLE READ, before the pool opens any: a transaction
    // begun there holds its first statement's snapshot to the end unless it asks for READ COMMITTED.
    const admin = new pg.Client({ connectionString: bed.database.url });
    await admin.connect();
    await admin.query(`alter database "${bed.database.name}" set default_transaction_isolation = 'repeatable read'`);
    await admin.end();
    await bed.database.pool.query('create table stalled_effects (event_id uuid not null)');
  });

  it('given a handler waiting on a stalled call in a database that defaults to REPEATABLE READ, when another transaction commits meanwhile, then the relay horizon moves past it and the handler session holds no transaction id or snapshot', async () => {
    const topic = await bed.createTopic('test.consumer.stall');
    await bed.startRunner({ groupId: unique('test-stall'), topics: [topic], handlers: { UserCreated: lockThenStall } });
    const event = userCreated(randomUUID());
    const { started, release } = stallOn(event);

    await bed.publish(topic, [event]);
    await started.opened;
    const committed = await committedTransaction();
    // Other sessions on the server (other specs) may hold the horizon for a moment; the handler must not.
    await eventually(async () => (await horizon()) > committed, 10_000).catch(() => undefined);
    const passed = (await horizon()) > committed;
    const { rows } = await bed.database.pool.query<{ xid: string | null; xmin: string | null; state: string }>(
      'select backend_xid::text as xid, backend_xmin::text as xmin, state from pg_stat_activity where pid = $1',
      [sessions.get(event.eventId)],
    );
    release.open();

    expect(rows).toEqual([{ xid: null, xmin: null, state: 'idle in transaction' }]);
    expect(passed).toBe(true);
    await eventually(async () => (await bed.database.pool.query('select 1 from stalled_effects where event_id = $1', [event.eventId])).rows.length === 1);
  }, 60_000);

  it('given a handler that never settles, when its attempts reach the bound, then each is failed, its session ended, and the message is dead-lettered while the next flows', async () => {
    const topic = await bed.createTopic('test.consumer.stall');
    await bed.startRunner({
      groupId: unique('test-stall'),
      topics: [topic],
      handlers: { UserCreated: lockThenStall },
      retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20 },
      handlerTimeoutMs: 1_000,
    });
    const stuck = userCreated(randomUUID());
    const next = userCreated(randomUUID());
    stallOn(stuck);

    await bed.publish(topic, [stuck, next]);
    await eventually(async () => (await bed.database.pool.query('select 1 from stalled_effects where event_id = $1', [next.eventId])).rows.length === 1, 30_000);
    const [deadLetter] = await bed.deadLetters(topic);

    expect(attempts.get(stuck.eventId)).toEqual([1, 2]);
    expect(settings.get(stuck.eventId)).toEqual({ isolation: 'read committed', statement: '1s', idle: '6s' });
    expect(readDeadLetterInfo(deadLetter?.headers ?? {})).toMatchObject({ reason: 'failed', attempts: 2, errorClass: 'HandlerTimeoutError' });
    const { rows } = await bed.database.pool.query('select 1 from pg_stat_activity where pid = $1', [sessions.get(stuck.eventId)]);
    expect(rows).toHaveLength(0);
    const locked = await bed.database.pool.query<{ free: boolean }>('select pg_try_advisory_lock(hashtext($1), hashtext($2)) as free', ['stall', stuck.aggregateId]);
    expect(locked.rows[0]?.free).toBe(true);
  }, 60_000);

  it('given a handler that takes longer than the session timeout, when it settles within its bound, then the member kept its partition and handled the message once', async () => {
    const topic = await bed.createTopic('test.consumer.stall');
    const { metrics } = quietTelemetry();
    await bed.startRunner({
      groupId: unique('test-stall'),
      topics: [topic],
      handlers: { UserCreated: lockThenStall },
      metrics,
      sessionTimeoutMs: 6_000,
      handlerTimeoutMs: 20_000,
    });
    const slow = userCreated(randomUUID());
    const { started, release } = stallOn(slow);

    await bed.publish(topic, [slow]);
    await started.opened;
    await new Promise((resolve) => setTimeout(resolve, 9_000));
    release.open();
    await eventually(async () => (await total(metrics.consumerHandled)) >= 1);
    // A member the group dropped gets the message again after it rejoins: the inbox would count a duplicate.
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    expect(attempts.get(slow.eventId)).toEqual([1]);
    expect((await metrics.consumerHandled.get()).values.map(({ labels, value }) => [labels.outcome, value])).toEqual([['processed', 1]]);
  }, 60_000);
});

async function total(metric: { get(): Promise<{ values: readonly { value: number }[] }> }): Promise<number> {
  return (await metric.get()).values.reduce((sum, { value }) => sum + value, 0);
}
