import kafkajs, { type Admin, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';
import type { ActualConfigEntry, ActualTopic, DesiredTopic } from '../reconcile/plan.js';
import type { TopicConfig } from '../reconcile/topic-config.js';
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
      const request = {
        topic: topic.name,
        numPartitions: topic.partitions ?? BROKER_DEFAULT,
        replicationFactor: topic.replicas ?? BROKER_DEFAULT,
        configEntries: Object.entries(topic.config).map(([name, value]) => ({ name, value })),
      };
      try {
        await run(`creating topic ${topic.name}`, (a) => a.createTopics({ topics: [request] }));
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
      try {
        await run(`deleting topic ${name}`, (a) => a.deleteTopics({ topics: [name] }));
      } catch (error) {
        if (error instanceof KafkaAdminError && error.type === 'UNKNOWN_TOPIC_OR_PARTITION') return;
        throw error;
      }
    },

    async disconnect() {
      await admin.disconnect();
    },
  };

  // Kafka's own message is lost by kafkajs for these two refusals, so the operator finds the
  // offending keys, or counts the brokers, and says so in the status.
  async function explainCreateFailure(
    error: unknown,
    request: { topic: string; numPartitions: number; replicationFactor: number; configEntries: { name: string; value: string }[] },
  ): Promise<unknown> {
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
