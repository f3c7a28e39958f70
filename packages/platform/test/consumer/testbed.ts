import { deadLetterTopicFor, type EventOf } from '@msa/contracts';
import { createTestTopics, localServers } from '@msa/local';
import type { IHeaders, Kafka, Producer } from 'kafkajs';
import { readTopic } from '../../src/consumer/dead-letter/reader.js';
import {
  createConsumerRunner,
  type ConsumerRunner,
  type ConsumerRunnerOptions,
  type RetryPolicy,
} from '../../src/consumer/index.js';
import { withAdmin } from '../../src/kafka/admin.js';
import { createKafka } from '../../src/kafka/client.js';
import { createProducer } from '../../src/kafka/producer.js';
import type { Logger } from '../../src/telemetry/logger.js';
import type { PlatformMetrics } from '../../src/telemetry/metrics.js';
import { createPooledDatabase, type PooledTestDatabase } from '../support/pooled-database.js';
import { quietTelemetry, unique } from './fixture.js';

/** Two attempts, milliseconds apart: a message that keeps failing reaches the DLT at once. */
export const TWO_QUICK_ATTEMPTS: Partial<RetryPolicy> = { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20 };

/** A runner's options less what the testbed supplies; `metrics` may still be given, to count on their own. */
export type TestRunnerOptions = Omit<ConsumerRunnerOptions, 'kafka' | 'pool' | 'logger' | 'metrics'> & {
  readonly metrics?: PlatformMetrics;
};

/** What a spec publishes: an event (keyed by its aggregate), or raw bytes under a key (or none) with headers of its own. */
export type Outgoing =
  | EventOf<'UserCreated' | 'UserUpdated'>
  | { readonly key: string | null; readonly raw: string; readonly headers?: IHeaders };

/** One message read back from a topic, its value as text. */
export interface ReadMessage {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: IHeaders;
}

/** What a consumer spec starts from; see `useConsumerTestbed`. */
export interface ConsumerTestbed {
  readonly kafka: Kafka;
  readonly logger: Logger;
  readonly metrics: PlatformMetrics;
  /** The spec file's own database; the runners' inbox and the handlers' tables live there. */
  readonly database: PooledTestDatabase;
  /**
   * Creates `<prefix>.<random>` and its `.DLT` with `partitions` each and the topic configuration
   * `config` (broker defaults otherwise); both are deleted afterwards.
   */
  createTopic(prefix: string, partitions?: number, config?: Readonly<Record<string, string>>): Promise<string>;
  /** A runner on the testbed's Kafka, database and telemetry, not yet started; stopped afterwards. */
  createRunner(options: TestRunnerOptions): ConsumerRunner;
  /** `createRunner`, then started. */
  startRunner(options: TestRunnerOptions): Promise<ConsumerRunner>;
  /** Publishes in order to one partition (0 unless given), with an idempotent producer. */
  publish(topic: string, messages: readonly Outgoing[], partition?: number): Promise<void>;
  /** Every message now in `topic`'s DLT, in partition and offset order. */
  deadLetters(topic: string): Promise<ReadMessage[]>;
}

interface Connected {
  readonly database: PooledTestDatabase;
  readonly producer: Producer;
}

/**
 * Registers the spec file's `beforeAll` and `afterAll` around a testbed: before, a database of its
 * own named `<name>_<random>` and a connected producer; after, every runner stopped, every topic
 * deleted and the database dropped. Call it first inside `describe`, so its `beforeAll` runs before
 * the spec's own.
 */
export function useConsumerTestbed(name: string): ConsumerTestbed {
  const { logger, metrics } = quietTelemetry();
  const kafka = createKafka({ clientId: `${name}-test`, brokers: localServers().kafkaBrokers, logger });
  const runners: ConsumerRunner[] = [];
  const topics: string[] = [];
  let connected: Connected | undefined;

  const ready = (): Connected => {
    if (connected === undefined) throw new Error('the consumer testbed is used before its beforeAll has run');
    return connected;
  };

  beforeAll(async () => {
    const database = await createPooledDatabase(name);
    const producer = createProducer(kafka);
    connected = { database, producer };
    await producer.connect();
  });

  afterAll(async () => {
    for (const runner of runners) await runner.stop();
    await connected?.producer.disconnect();
    const created = topics.flatMap((topic) => [topic, deadLetterTopicFor(topic)]);
    if (created.length > 0) await withAdmin(kafka, (admin) => admin.deleteTopics({ topics: created })).catch(() => undefined);
    await connected?.database.drop();
  });

  const createRunner = (options: TestRunnerOptions): ConsumerRunner => {
    const runner = createConsumerRunner({ kafka, pool: ready().database.pool, logger, metrics, ...options });
    runners.push(runner);
    return runner;
  };

  return {
    kafka,
    logger,
    metrics,
    get database() {
      return ready().database;
    },
    async createTopic(prefix, partitions = 1, config = {}) {
      const topic = unique(prefix);
      topics.push(topic);
      const configEntries = Object.entries(config).map(([name, value]) => ({ name, value }));
      await withAdmin(kafka, (admin) =>
        createTestTopics(
          admin,
          [topic, deadLetterTopicFor(topic)].map((each) => ({ topic: each, numPartitions: partitions, configEntries })),
        ),
      );
      return topic;
    },
    createRunner,
    async startRunner(options) {
      const runner = createRunner(options);
      await runner.start();
      return runner;
    },
    async publish(topic, messages, partition = 0) {
      await ready().producer.send({
        topic,
        acks: -1,
        messages: messages.map((message) =>
          'raw' in message
            ? { key: message.key, value: message.raw, partition, ...(message.headers === undefined ? {} : { headers: message.headers }) }
            : { key: message.aggregateId, value: JSON.stringify(message), partition, headers: { 'event-id': message.eventId } },
        ),
      });
    },
    async deadLetters(topic) {
      const messages = await readTopic(kafka, deadLetterTopicFor(topic));
      return messages.map((message) => ({ ...message, value: message.value?.toString('utf8') ?? null }));
    },
  };
}
