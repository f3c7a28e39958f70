import { SpanKind } from '@opentelemetry/api';
import type { Consumer, EachBatchPayload, KafkaMessage, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { ReadinessCheck } from '../http/health.js';
import { withAdmin } from '../kafka/admin.js';
import { createProducer } from '../kafka/producer.js';
import { BROKER_RESTART_RETRY } from '../kafka/retry.js';
import { extractTraceContext, withSpan } from '../telemetry/propagation.js';
import type { SourceRecord } from './handlers.js';
import { startInboxPruner, type InboxPruner } from './inbox/pruner.js';
import { verifyInboxRetention } from './inbox/verify-retention.js';
import { resolveOptions, type ConsumerRunnerOptions } from './options.js';
import type { PipelineDeps } from './pipeline/deps.js';
import { ConsumerStopping, createPacer } from './pipeline/pacing.js';
import { processMessage } from './pipeline/process-message.js';
import { ensureConsumerSchema } from './schema.js';
import { verifyTopics } from './verify-topics.js';

/** A running consumer group member; see `createConsumerRunner`. */
export interface ConsumerRunner {
  readonly groupId: string;
  /** Creates the runner's tables, checks the topics, joins the group and starts handling. */
  start(): Promise<void>;
  /**
   * Stops fetching, lets the message in hand finish (a retry waiting for its backoff is abandoned and
   * delivered again later), commits the offsets of what was handled or dead-lettered, leaves the group.
   */
  stop(): Promise<void>;
  /** For `/health/ready`: fails before `start()` has finished and after the consumer crashed for good. */
  readonly readiness: ReadinessCheck;
}

/**
 * A consumer runner over kafkajs. Each partition is handled one message at a time, in order: a message
 * is handled in a PostgreSQL transaction with its inbox row (so a redelivery changes nothing), retried
 * with backoff while its failure is retriable, and otherwise written to `<topic>.DLT` with headers
 * saying why and from where, parking its key so later messages of that key follow it there in order
 * until a replay brings them back; other keys keep flowing. Offsets are committed only for messages
 * handled, skipped or dead-lettered. See DESIGN.md beside this file.
 *
 * @throws ConsumerConfigError for a bad option, before anything connects.
 */
export function createConsumerRunner(options: ConsumerRunnerOptions): ConsumerRunner {
  const config = resolveOptions(options);
  const { groupId, kafka, metrics } = config;
  const log = config.logger.child({ component: 'consumer', group: groupId });
  const stopping = new AbortController();
  let consumer: Consumer | undefined;
  let producer: Producer | undefined;
  let pruner: InboxPruner | undefined;
  let state: 'new' | 'starting' | 'running' | 'crashed' | 'stopped' = 'new';
  let starting: Promise<void> | undefined;
  let stopped: Promise<void> | undefined;

  const shared: Omit<PipelineDeps, 'pacer' | 'log'> = {
    group: groupId,
    pool: config.pool,
    handlers: config.handlers,
    metrics,
    policy: config.policy,
    handlerTimeoutMs: config.handlerTimeoutMs,
    deadLetterTimeoutMs: config.deadLetterTimeoutMs,
    maxMessageBytes: config.maxMessageBytes,
    inbox: config.inbox,
    random: Math.random,
    now: () => new Date(),
    get producer(): Producer {
      if (producer === undefined) throw new Error('consumer runner used before start()');
      return producer;
    },
  };

  const batchesInHand = new Set<Promise<void>>();

  /** `handleBatch`, tracked while it runs, so stop() knows when the batch in hand has ended. */
  function eachBatch(payload: EachBatchPayload): Promise<void> {
    const handling = handleBatch(payload);
    batchesInHand.add(handling);
    const untrack = (): void => {
      batchesInHand.delete(handling);
    };
    handling.then(untrack, untrack);
    return handling;
  }

  async function handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const { topic, partition } = batch;
    const partitionLog = log.child({ topic, partition });
    const pacer = createPacer(() => payload.heartbeat(), () => payload.isRunning(), stopping.signal);
    let next: string | undefined;
    let committed: string | undefined;
    let committedAt = Date.now();

    const commit = async (): Promise<void> => {
      if (next === undefined || next === committed) return;
      const offset = next;
      await payload.commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset }] }] });
      committed = offset;
      committedAt = Date.now();
      const lag = BigInt(batch.highWatermark) - BigInt(offset);
      metrics.consumerLag.set({ topic, partition: String(partition), group: groupId }, Number(lag > 0n ? lag : 0n));
    };

    try {
      for (const message of batch.messages) {
        if (!payload.isRunning() || payload.isStale() || stopping.signal.aborted) break;
        const source = toSourceRecord(topic, partition, message);
        const messageLog = partitionLog.child({ offset: message.offset });
        await withSpan(
          `process ${topic}`,
          extractTraceContext(source.headers),
          () => processMessage({ ...shared, pacer, log: messageLog }, { source, value: message.value }),
          { kind: SpanKind.CONSUMER, attributes: spanAttributes(groupId, source) },
        );
        payload.resolveOffset(message.offset);
        next = (BigInt(message.offset) + 1n).toString();
        await payload.heartbeat();
        if (Date.now() - committedAt >= config.commitIntervalMs) await commit();
      }
    } catch (error) {
      if (!(error instanceof ConsumerStopping)) throw error;
      partitionLog.info('stopping with a message in hand; it will be delivered again');
    } finally {
      await commit().catch((error: unknown) => {
        partitionLog.warn({ err: error }, 'offset commit failed; handled messages will be delivered again');
      });
    }
  }

  function start(): Promise<void> {
    if (state !== 'new') return Promise.reject(new Error(`consumer runner ${groupId} cannot start: it is ${state}`));
    state = 'starting';
    starting = connectAndRun();
    return starting;
  }

  async function connectAndRun(): Promise<void> {
    try {
      await ensureConsumerSchema(config.pool);
      await withAdmin(kafka, async (admin) => {
        await verifyTopics(admin, config.topics);
        if (config.inboxPruning.enabled) await verifyInboxRetention(admin, config.topics, config.inboxPruning.retentionMs);
      });
      producer = createProducer(kafka, { retries: DEAD_LETTER_SEND_RETRIES });
      consumer = kafka.consumer({
        groupId,
        allowAutoTopicCreation: false,
        sessionTimeout: config.sessionTimeoutMs,
        // A third of the session, as Kafka advises: kafkajs's 3 s default is half of a 6 s one.
        heartbeatInterval: Math.floor(config.sessionTimeoutMs / 3),
        // The original design's fetch wait: a quiet partition is polled twice a second, and stop()
        // never waits longer than that for a fetch in flight.
        maxWaitTimeInMs: 500,
        // kafkajs gives a consumer five retries of its own (about 9 s), whatever its client's: after
        // those it crashes and joins again as a new member, and the group waits for a rebalance.
        // Riding out a broker restart instead, the member heartbeats under its own id when the
        // broker is back, and keeps its partitions.
        // kafkajs restarts a consumer whose retries ran out even after a stop that did not wait for
        // them (see tearDown), which would rejoin a group the runner left: only a running one restarts.
        retry: { ...BROKER_RESTART_RETRY, restartOnFailure: () => Promise.resolve(!stopping.signal.aborted) },
      });
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (payload.restart || stopping.signal.aborted) return;
        state = 'crashed';
        log.error({ err: payload.error }, 'consumer crashed and will not restart');
      });
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({ topics: [...config.topics], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: config.partitionsConsumedConcurrently,
        eachBatch,
      });
    } catch (error) {
      await consumer?.disconnect().catch(() => undefined);
      await producer?.disconnect().catch(() => undefined);
      state = 'stopped';
      throw error;
    }
    // A stop that came while connecting is waiting for this start, and tears down what it joined.
    if (stopping.signal.aborted) return;
    state = 'running';
    if (config.inboxPruning.enabled) {
      pruner = startInboxPruner({
        pool: config.pool,
        group: groupId,
        settings: config.inboxPruning,
        pruned: metrics.consumerInboxPruned,
        log: log.child({ component: 'inbox-pruner' }),
        random: Math.random,
      });
    }
    log.info({ topics: config.topics, retry: config.policy, inboxPruning: config.inboxPruning }, 'consumer started');
  }

  function stop(): Promise<void> {
    if (state === 'stopped' && stopped === undefined) return Promise.resolve();
    stopped ??= tearDown();
    return stopped;
  }

  async function tearDown(): Promise<void> {
    stopping.abort();
    // Stopping mid-start waits for start to settle; disconnecting a consumer kafkajs is still
    // connecting would let it join the group after all.
    await starting?.catch(() => undefined);
    state = 'stopped';
    await pruner?.stop();
    // The batch in hand ends at once (waits are abandoned) or after its attempt, then kafkajs
    // commits and leaves the group. With no batch in hand kafkajs may still be retrying a broker it
    // lost, for up to BROKER_RESTART_RETRY's 30 s, before it notices the stop: stop() gives it
    // DISCONNECT_TIMEOUT_MS after the batch and goes on without it (the broker ends the session). A
    // producer disconnect waits for its requests in flight, such as a dead-letter write abandoned at
    // stop on a broker that does not answer, up to kafkajs's request timeout: stop() goes on without
    // it, and the socket ends when that request times out.
    const leaving = consumer?.disconnect();
    await settleWithin(Promise.allSettled([...batchesInHand]).then(() => undefined), config.handlerTimeoutMs, log, 'the batch in hand');
    await settleWithin(leaving, DISCONNECT_TIMEOUT_MS, log, 'the consumer leaving the group');
    await settleWithin(producer?.disconnect(), DISCONNECT_TIMEOUT_MS, log, 'the dead-letter producer disconnecting');
    log.info('consumer stopped');
  }

  return {
    groupId,
    start,
    stop,
    readiness: {
      name: `kafka-consumer:${groupId}`,
      check: () =>
        state === 'running' ? Promise.resolve() : Promise.reject(new Error(`consumer ${groupId} is ${state}`)),
    },
  };
}

// kafkajs's own retries of one dead-letter send: enough to ride out a leader moving, few enough that
// a send the runner has stopped waiting for ends soon on its own (see dead-letter/writer.ts).
const DEAD_LETTER_SEND_RETRIES = 2;

// What a Kafka client may take to leave, beyond the attempt in hand.
const DISCONNECT_TIMEOUT_MS = 5_000;

/** Waits for `work` at most `ms`; a failure or a delay is logged, and stop() goes on. */
async function settleWithin(work: Promise<void> | undefined, ms: number, log: Logger, what: string): Promise<void> {
  if (work === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => {
      resolve('late');
    }, ms);
  });
  const done = work.then(
    () => 'done' as const,
    (error: unknown) => {
      log.warn({ err: error }, `${what} failed`);
      return 'done' as const;
    },
  );
  const outcome = await Promise.race([done, expired]);
  clearTimeout(timer);
  if (outcome === 'late') log.warn({ timeoutMs: ms }, `${what} took too long; stopping without waiting for it`);
}

function toSourceRecord(topic: string, partition: number, message: KafkaMessage): SourceRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key === null ? null : message.key.toString('utf8'),
    timestamp: message.timestamp,
    headers: message.headers ?? {},
  };
}

function spanAttributes(group: string, source: SourceRecord): Record<string, string | number> {
  return {
    'messaging.system': 'kafka',
    'messaging.operation.type': 'process',
    'messaging.destination.name': source.topic,
    'messaging.destination.partition.id': String(source.partition),
    'messaging.consumer.group.name': group,
    'messaging.kafka.offset': Number(source.offset),
    ...(source.key === null ? {} : { 'messaging.kafka.message.key': source.key }),
  };
}
