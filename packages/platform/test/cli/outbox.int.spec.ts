import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@msa/contracts';
import type { Kafka } from 'kafkajs';
import {
  createEventStore,
  createLogger,
  createOutboxRelay,
  type EventStore,
  type OutboxRelay,
} from '../../src/index.js';
import { eventStoreMigrations } from '../../src/event-store/schema.js';
import { outboxMigrations } from '../../src/outbox/schema.js';
import { migrate } from '../../src/postgres/migrate.js';
import { appendUserEvent } from '../outbox/support/append.js';
import { consumeUntil, createTestTopic, deleteTopics, testKafka } from '../outbox/support/kafka.js';
import { until } from '../outbox/support/until.js';
import { createPooledDatabase, type PooledTestDatabase } from '../support/pooled-database.js';
import { runCli } from './run-cli.js';

// The relay's limit at first; the topic takes events up to eight times that.
const LIMIT = 16_384;

describe('dlt outbox: streams a relay holds behind an event Kafka refuses', () => {
  const logger = createLogger({ service: 'test', level: 'silent' });
  let db: PooledTestDatabase;
  let store: EventStore;
  let kafka: Kafka;
  let topic: string;
  let relay: OutboxRelay | undefined;
  const large = randomUUID();
  const stream = `user-${large}`;
  let refused: DomainEvent;

  const run = (...args: string[]) => runCli({ DATABASE_URL: db.url }, 'outbox', ...args);

  function startRelay(maxBatchBytes: number): void {
    relay = createOutboxRelay({ pool: db.pool, kafka, logger, resolveTopic: () => topic, leaderRetryMs: 100, maxBatchBytes });
    relay.start();
  }

  const append = (userId: string, version: number, bytes?: number) => appendUserEvent(db.pool, store, userId, version, bytes);

  beforeAll(async () => {
    db = await createPooledDatabase('cli_outbox');
    await migrate(db.pool, [...eventStoreMigrations, ...outboxMigrations]);
    store = createEventStore({ pool: db.pool, logger });
    kafka = testKafka();
    topic = await createTestTopic(kafka, 'cli.outbox', 1, { 'max.message.bytes': String(8 * LIMIT) });
    refused = await append(large, 1, 3 * LIMIT);
    await append(large, 2);
    await append(randomUUID(), 1);
    startRelay(LIMIT);
    await until(async () => (await db.pool.query('select 1 from outbox_unpublishable')).rowCount === 2);
  });
  afterAll(async () => {
    await relay?.stop();
    await deleteTopics(kafka, [topic]);
    await db.drop();
  });

  it('given a held stream, when listed, then its refused event, the reason and what waits behind it are shown', async () => {
    const { out, exitCode } = await run('list');
    const json = await run('list', '--relay', 'default', '--json');

    expect(exitCode).toBe(0);
    const [count, header, line] = out.split('\n');
    expect(count).toBe('held streams: 1');
    expect(header).toMatch(/^STREAM\s+RELAY\s+EVENT\s+TYPE\s+TOPIC\s+HELD BEHIND\s+SINCE\s+RELEASE\s+WHY$/);
    // The catalog topic stored with the event: this spec's relay maps it to a topic of its own.
    expect(line).toMatch(new RegExp(`^${stream}\\s+default\\s+${refused.eventId}\\s+UserCreated v1\\s+user\\.profile\\.created\\s+1\\s+\\S+Z\\s+\\d+ bytes as a Kafka record`));
    const { streams } = JSON.parse(json.out) as { streams: { streamId: string; heldBehind: number; head: { reason: string } }[] };
    expect(streams).toEqual([expect.objectContaining({ streamId: stream, heldBehind: 1 })]);
    expect((await run('list', '--relay', 'another')).out).toBe('held streams: 0');
  });

  it('given a held stream, when released without --execute, then it shows what would be published and changes nothing', async () => {
    const { out, exitCode } = await run('release', '--stream', stream);

    expect(exitCode).toBe(0);
    expect(out).toContain(`${stream} of relay default: held since`);
    expect(out).toContain(`at UserCreated v1 (${refused.eventId}, position 1, for user.profile.created); 1 event waits behind it`);
    expect(out).toContain('dry run: nothing was changed');
    expect((await db.pool.query('select 1 from outbox_stream_releases')).rowCount).toBe(0);
  });

  it('given no relay leading, when released with --execute, then it says the request waits and exits 1', async () => {
    await relay?.stop();

    const { out, exitCode } = await run('release', '--stream', stream, '--execute', '--timeout', '1s');

    expect(exitCode).toBe(1);
    expect(out).toContain('no relay named default took the release up within 1000 ms (is one leading?); it stays asked for');
  });

  it('given the relay restarted with a limit the event fits, when released with --execute, then both held events are published in order and the stream flows', async () => {
    startRelay(8 * LIMIT);

    const { out, exitCode } = await run('release', '--stream', stream, '--execute');
    const next = await append(large, 3);
    const received = await consumeUntil(kafka, [topic], (r) => r.some((m) => m.value.eventId === next.eventId));

    expect(exitCode).toBe(0);
    expect(out).toContain(`released ${stream} of relay default: its held events were published in order, and its new events flow again`);
    expect(received.filter((m) => m.key === large).map((m) => m.value.version)).toEqual([1, 2, 3]);
    expect((await run('list')).out).toBe('held streams: 0');
  });

  it('given a stream that is not held, when released, then it says so and exits 1', async () => {
    const { err, exitCode } = await run('release', '--stream', 'user-nobody', '--execute');

    expect(exitCode).toBe(1);
    expect(err).toContain('user-nobody of relay default is not held: nothing to release');
  });

  it('given a database without the outbox tables, when listed, then it says which database to give', async () => {
    const other = await createPooledDatabase('cli_outbox_empty');
    try {
      const { err, exitCode } = await runCli({ DATABASE_URL: other.url }, 'outbox', 'list');

      expect(exitCode).toBe(1);
      expect(err).toContain('this database has no outbox tables');
    } finally {
      await other.drop();
    }
  });
});
