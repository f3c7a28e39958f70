import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createTestTopics, localServers } from '@msa/local';
import { createOutboxRelay, type EventStore, type Logger, type OutboxRelay } from '@msa/platform';
import { Kafka, logLevel } from 'kafkajs';
import type pg from 'pg';
import { z } from 'zod';
import { percentile } from './stats.js';
import { appendToManyStreams, type AppendRun } from './writers.js';

/** A Kafka topic of the benchmark's own, which every event is published to. */
export interface BenchKafka {
  readonly kafka: Kafka;
  readonly topic: string;
  drop(): Promise<void>;
}

export async function createBenchTopic(name: string, partitions: number): Promise<BenchKafka> {
  const kafka = new Kafka({ clientId: 'bench', brokers: [...localServers().kafkaBrokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await createTestTopics(admin, [{ topic: name, numPartitions: partitions }]);
  return {
    kafka,
    topic: name,
    async drop() {
      await admin.deleteTopics({ topics: [name] }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

function relayFor(pool: pg.Pool, bench: BenchKafka, logger: Logger, onAcked: (ids: readonly string[]) => void): OutboxRelay {
  return createOutboxRelay({
    pool,
    kafka: bench.kafka,
    logger,
    resolveTopic: () => bench.topic,
    onPublished: (events) => {
      onAcked(events.map((e) => e.eventId));
    },
  });
}

/** Commit → Kafka acknowledgement latencies of every event appended under load, in milliseconds. */
export interface LagRun {
  readonly load: AppendRun;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`not done after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const WARM_UP_MS = 1_000;

const epochNow = (): number => performance.timeOrigin + performance.now();

const workerMessage = z.union([
  z.object({ committed: z.array(z.tuple([z.string(), z.number()])) }),
  z.object({
    run: z.object({ events: z.number(), appends: z.number(), conflicts: z.number(), seconds: z.number() }),
  }),
]);

/** Runs the many-stream load on its own thread; `onCommitted` hears of each event's commit time. */
function loadOnWorker(
  databaseUrl: string,
  load: LagLoad,
  onCommitted: (eventId: string, epochMs: number) => void,
): Promise<AppendRun> {
  const worker = new Worker(new URL('./load-worker.js', import.meta.url), { workerData: { databaseUrl, ...load } });
  return new Promise((resolve, reject) => {
    worker.on('message', (raw: unknown) => {
      const message = workerMessage.parse(raw);
      if ('committed' in message) for (const [id, at] of message.committed) onCommitted(id, at);
      else resolve(message.run);
    });
    worker.on('error', reject);
  });
}

/** The load the lag is measured under, and where it runs. */
export interface LagLoad {
  readonly writers: number;
  readonly streams: number;
  readonly seconds: number;
  /** Append on the relay's own event loop (as a busy service would) or on a thread of their own. */
  readonly thread: 'relay' | 'worker';
}

/**
 * Runs the many-stream load with the relay publishing alongside and measures, per event, the time
 * from its append's commit to Kafka's acknowledgement.
 */
export async function measureRelayLag(
  bench: BenchKafka,
  database: { readonly url: string; readonly pool: pg.Pool; readonly store: EventStore },
  logger: Logger,
  load: LagLoad,
): Promise<LagRun> {
  const committed = new Map<string, number>();
  const acked = new Map<string, number>();
  const relay = relayFor(database.pool, bench, logger, (ids) => {
    const now = epochNow();
    for (const id of ids) acked.set(id, now);
  });
  relay.start();
  await until(() => relay.isLeader, 10_000);
  const run =
    load.thread === 'worker'
      ? await loadOnWorker(database.url, load, (id, at) => committed.set(id, at))
      : await appendToManyStreams(database.store, {
          ...load,
          perAppend: 1,
          onCommitted: (events, at) => {
            for (const event of events) committed.set(event.eventId, performance.timeOrigin + at);
          },
        });
  await until(() => acked.size >= committed.size, 60_000);
  await relay.stop();
  // The first second is the load's warm-up (new streams, cold code paths): steady state only. An
  // acknowledgement can be handled before the writer's own continuation records the commit: 0.
  const started = [...committed.values()].reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  const lags = [...committed]
    .filter(([, at]) => at >= started + WARM_UP_MS)
    .map(([id, at]) => Math.max(0, (acked.get(id) ?? Number.NaN) - at));
  return { load: run, p50: percentile(lags, 50), p99: percentile(lags, 99), max: percentile(lags, 100) };
}

/** How fast a relay starting cold publishes a backlog of committed events. */
export interface DrainRun {
  readonly events: number;
  readonly seconds: number;
}

/** Starts a relay over `backlog` unpublished events and times it until all are acknowledged. */
export async function measureDrain(pool: pg.Pool, bench: BenchKafka, logger: Logger, backlog: number): Promise<DrainRun> {
  let published = 0;
  const relay = relayFor(pool, bench, logger, (ids) => {
    published += ids.length;
  });
  const started = performance.now();
  relay.start();
  await until(() => published >= backlog, 600_000);
  const seconds = (performance.now() - started) / 1_000;
  await relay.stop();
  return { events: published, seconds };
}
