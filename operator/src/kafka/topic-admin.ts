import kafkajs, { type Admin, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ActualConfigEntry, ActualTopic, DesiredTopic } from '../reconcile/plan.js';
import type { TopicConfig } from '../reconcile/topic-config.js';
import { Batcher } from './batcher.js';
import { classifyKafkaError, KafkaAdminError } from './errors.js';

/** The Kafka operations the reconciler needs, one topic at a time. Errors are {@link KafkaAdminError}s. */
export interface TopicAdmin {
  /** The topic as Kafka describes it, or `undefined` when it does not exist. */
  describe(name: string): Promise<ActualTopic | undefined>;
  /** Creates the topic; one that already exists counts as created (the next pass diffs it). */
  create(topic: DesiredTopic): Promise<void>;
  increasePartitions(name: string, count: number): Promise<void>;
  /** Makes `config` the topic's complete set of overrides: keys absent from it return to defaults. */
  replaceConfig(name: string, config: TopicConfig): Promise<void>;
  /** Deletes the topic; one that is already gone counts as deleted. */
  delete(name: string): Promise<void>;
  disconnect(): Promise<void>;
}

/** Where Kafka is and how to log its client. */
export interface TopicAdminOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
}

// kafkajs is CommonJS, and Node sees only some of its exports by name.
const { ConfigResourceTypes, ConfigSource, Kafka, logLevel } = kafkajs;
const BROKER_DEFAULT = -1;

/**
 * A {@link TopicAdmin} on a kafkajs admin client. kafkajs retries little here (the work queue owns
 * the backoff, so one slow key never holds a worker for long), and logs at debug level only: every
 * failure that matters reaches the reconciler, which logs it with the resource it concerns.
 */
export function kafkaTopicAdmin(options: TopicAdminOptions): TopicAdmin {
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: 3000,
    requestTimeout: 30_000,
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 2000 },
    logLevel: logLevel.INFO,
    logCreator: pinoLogCreator(options.logger),
  });
  const admin = kafka.admin();
  let connected: Promise<void> | undefined;

  // Connects lazily and again after a failed attempt, so an operator started while Kafka is down
  // recovers on its own once Kafka is back.
  async function ready(): Promise<Admin> {
    connected ??= admin.connect().catch((error: unknown) => {
      connected = undefined;
      throw error;
    });
    await connected;
    return admin;
  }

  async function run<T>(doing: string, operation: (a: Admin) => Promise<T>): Promise<T> {
    try {
      return await operation(await ready());
    } catch (error) {
      throw classifyKafkaError(error, doing);
    }
  }

  // The controller commits each CreateTopics request on its own, so creating many topics one
  // request at a time is bound by its commit latency; one request carries a whole batch. Not
  // waiting for leaders: a just-created topic may be missing from a broker's metadata for a moment,
  // which kafkajs reports as a failure although the controller created it.
  const creates = new Batcher<CreateRequest, undefined>(
    async (requests) => {
      const unique = [...new Map(requests.map((r) => [r.topic, r])).values()];
      try {
        await (await ready()).createTopics({ topics: unique, waitForLeaders: false });
        return requests.map(() => ({ ok: true, value: undefined }));
      } catch (error) {
        const perTopic = createTopicErrors(error);
        return requests.map((r) => {
          const topicError = perTopic ? perTopic.get(r.topic) : error;
          if (topicError === undefined || topicError === ALREADY_EXISTS) return { ok: true, value: undefined };
          return { ok: false, error: classifyKafkaError(topicError, `creating topic ${r.topic}`) };
        });
      }
    },
    { lingerMs: 10, maxBatch: 200 },
  );

  async function deleteOne(name: string): Promise<void> {
    try {
      await run(`deleting topic ${name}`, (a) => a.deleteTopics({ topics: [name] }));
    } catch (error) {
      if (error instanceof KafkaAdminError && error.type === 'UNKNOWN_TOPIC_OR_PARTITION') return;
      throw error;
    }
  }

  // Deletes are batched too. Kafka answers per topic, but kafkajs reports only the first failure,
  // so a failed batch is settled topic by topic (those already deleted then count as deleted).
  const deletes = new Batcher<string, undefined>(
    async (names) => {
      const unique = [...new Set(names)];
      if (unique.length > 1) {
        const deleted = await ready()
          .then((a) => a.deleteTopics({ topics: unique }))
          .then(
            () => true,
            () => false,
          );
        if (deleted) return names.map(() => ({ ok: true, value: undefined }));
      }
      return Promise.all(
        names.map((name) =>
          deleteOne(name).then(
            () => ({ ok: true, value: undefined }) as const,
            (error: unknown) => ({ ok: false, error }) as const,
          ),
        ),
      );
    },
    { lingerMs: 10, maxBatch: 200 },
  );

  return {
    async describe(name) {
      try {
        return await run(`describing topic ${name}`, async (a) => {
          const metadata = await a.fetchTopicMetadata({ topics: [name] });
          const configs = await a.describeConfigs({
            resources: [{ type: ConfigResourceTypes.TOPIC, name }],
            includeSynonyms: false,
          });
          const partitions = metadata.topics[0]?.partitions ?? [];
          const replicasPerPartition: number[] = [];
          for (const p of partitions) replicasPerPartition[p.partitionId] = p.replicas.length;
          const config: Record<string, ActualConfigEntry> = {};
          for (const entry of configs.resources[0]?.configEntries ?? []) {
            config[entry.configName] = {
              value: entry.configValue,
              isTopicOverride: entry.configSource === ConfigSource.TOPIC_CONFIG,
            };
          }
          return { name, replicasPerPartition, config };
        });
      } catch (error) {
        if (error instanceof KafkaAdminError && error.type === 'UNKNOWN_TOPIC_OR_PARTITION') return undefined;
        throw error;
      }
    },

    async create(topic) {
      const request: CreateRequest = {
        topic: topic.name,
        numPartitions: topic.partitions ?? BROKER_DEFAULT,
        replicationFactor: topic.replicas ?? BROKER_DEFAULT,
        configEntries: Object.entries(topic.config).map(([name, value]) => ({ name, value })),
      };
      try {
        await creates.submit(request);
      } catch (error) {
        throw await explainCreateFailure(error, request);
      }
    },

    async increasePartitions(name, count) {
      await run(`increasing partitions of ${name} to ${count}`, (a) =>
        a.createPartitions({ topicPartitions: [{ topic: name, count }] }),
      );
    },

    async replaceConfig(name, config) {
      const entries = Object.entries(config).map(([key, value]) => ({ name: key, value }));
      const alter = (a: Admin, configEntries: typeof entries, validateOnly: boolean) =>
        a.alterConfigs({ validateOnly, resources: [{ type: ConfigResourceTypes.TOPIC, name, configEntries }] });
      try {
        await run(`changing config of ${name}`, (a) => alter(a, entries, false));
      } catch (error) {
        if (!(error instanceof KafkaAdminError) || error.type !== 'INVALID_CONFIG') throw error;
        const rejected = await rejectedKeys(entries, (entry) => run('validating config', (a) => alter(a, [entry], true)));
        throw invalidConfig(error, rejected);
      }
    },

    async delete(name) {
      await deletes.submit(name);
    },

    async disconnect() {
      await admin.disconnect();
    },
  };

  // Kafka's own message is lost by kafkajs for these two refusals, so the operator finds the
  // offending keys, or counts the brokers, and says so in the status.
  async function explainCreateFailure(error: unknown, request: CreateRequest): Promise<unknown> {
    if (!(error instanceof KafkaAdminError)) return error;
    if (error.type === 'INVALID_CONFIG') {
      const rejected = await rejectedKeys(request.configEntries, (entry) =>
        run('validating config', (a) => a.createTopics({ validateOnly: true, topics: [{ ...request, configEntries: [entry] }] })),
      );
      return invalidConfig(error, rejected);
    }
    if (error.type === 'INVALID_REPLICATION_FACTOR') {
      const brokers = await run('describing the cluster', (a) => a.describeCluster()).then(
        (c) => String(c.brokers.length),
        () => 'an unknown number of',
      );
      return new KafkaAdminError(
        `${error.message} (spec.replicas is ${request.replicationFactor}, the cluster has ${brokers} broker(s))`,
        error.type,
        false,
        { cause: error },
      );
    }
    return error;
  }
}

interface CreateRequest {
  readonly topic: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  readonly configEntries: { name: string; value: string }[];
}

const createTopicsFailure = z.object({ name: z.literal('KafkaJSAggregateError'), errors: z.array(z.unknown()) });
const createTopicError = z.object({ topic: z.string(), type: z.string() });

// Stands for a topic that already existed: it counts as created, the next pass diffs it.
const ALREADY_EXISTS = Symbol('already exists');

/** The per-topic errors of a failed batch create, when Kafka answered per topic (all but outages). */
function createTopicErrors(error: unknown): ReadonlyMap<string, unknown> | undefined {
  const parsed = createTopicsFailure.safeParse(error);
  if (!parsed.success) return undefined;
  const errors = new Map<string, unknown>();
  // The original error objects are kept (zod's output would be copies without their messages).
  for (const raw of parsed.data.errors) {
    const e = createTopicError.safeParse(raw);
    if (e.success) errors.set(e.data.topic, e.data.type === 'TOPIC_ALREADY_EXISTS' ? ALREADY_EXISTS : raw);
  }
  return errors;
}

async function rejectedKeys<E extends { name: string }>(
  entries: readonly E[],
  validate: (entry: E) => Promise<unknown>,
): Promise<string[]> {
  const rejected: string[] = [];
  for (const entry of entries) {
    try {
      await validate(entry);
    } catch (error) {
      if (error instanceof KafkaAdminError && error.type === 'INVALID_CONFIG') rejected.push(entry.name);
    }
  }
  return rejected;
}

function invalidConfig(error: KafkaAdminError, rejected: readonly string[]): KafkaAdminError {
  const which = rejected.length > 0 ? ` (Kafka rejects spec.config ${rejected.join(', ')})` : '';
  return new KafkaAdminError(`${error.message}${which}`, error.type, false, { cause: error });
}

function pinoLogCreator(logger: Logger): logCreator {
  const log = logger.child({ component: 'kafkajs' });
  return () =>
    ({ log: entry }) => {
      const { message, ...extra } = entry;
      log.debug(extra, message);
    };
}
