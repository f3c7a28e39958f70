import { Admin, ConfigResourceTypes, ConfigSources, UserError, type ClusterMetadata } from '@platformatic/kafka';
import type { Logger } from 'pino';
import type { ActualConfigEntry, ActualTopic, DesiredTopic } from '../reconcile/plan.js';
import type { TopicConfig } from '../reconcile/topic-config.js';
import { Batcher, type Settled } from './batcher.js';
import { logClientEvents } from './client-log.js';
import { classifyKafkaError, KafkaAdminError, topicAnswers } from './errors.js';
import { kafkaTopicId } from './topic-id.js';

/** The Kafka operations `applyDecision` needs, one topic at a time. Errors are {@link KafkaAdminError}s. */
export interface TopicAdmin {
  /** The topic as Kafka describes it, or `undefined` when it does not exist. */
  describe(name: string): Promise<ActualTopic | undefined>;
  /**
   * Creates the topic and returns the id Kafka gave it. One that already exists counts as created,
   * with no id: someone else made it, and the next pass diffs it and reads its id.
   */
  create(topic: DesiredTopic): Promise<string | undefined>;
  increasePartitions(name: string, count: number): Promise<void>;
  /** Makes `config` the topic's complete set of overrides: keys absent from it return to defaults. */
  replaceConfig(name: string, config: TopicConfig): Promise<void>;
  /** Deletes the topic; one that is already gone counts as deleted. */
  delete(name: string): Promise<void>;
  disconnect(): Promise<void>;
}

/** Where Kafka is, and the logger its client writes to. */
export interface TopicAdminOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
}

const BROKER_DEFAULT = -1;
const BATCHING = { lingerMs: 10, maxBatch: 200 } as const;

/**
 * A {@link TopicAdmin} on @platformatic/kafka's admin client. The client retries little here (the
 * work queue owns the backoff, so one slow key never holds a worker for long). It connects on the
 * first request and again after a failure, so an operator started while Kafka is down recovers on
 * its own once Kafka is back.
 */
export function kafkaTopicAdmin(options: TopicAdminOptions): TopicAdmin {
  const admin = new Admin({
    clientId: options.clientId,
    bootstrapBrokers: [...options.brokers],
    connectTimeout: 3000,
    requestTimeout: 30_000,
    retries: 2,
    retryDelay: 200,
  });
  logClientEvents(admin, options.logger);

  async function run<T>(doing: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw classifyKafkaError(error, doing);
    }
  }

  // Kafka answers UNKNOWN_TOPIC_OR_PARTITION for a topic that does not exist, which the client
  // counts as retriable. A missing topic is the first step of every creation, so the first ask
  // takes no retries; only another failure is asked again with them.
  async function metadataOf(name: string): Promise<ClusterMetadata | undefined> {
    const ask = (retries?: number) =>
      admin.metadata({ topics: [name], forceUpdate: true, ...(retries === undefined ? {} : { retries }) });
    try {
      return await ask(0);
    } catch (error) {
      if (isUnknownTopic(error, name)) return undefined;
    }
    try {
      return await ask();
    } catch (error) {
      if (isUnknownTopic(error, name)) return undefined;
      throw classifyKafkaError(error, `describing topic ${name}`);
    }
  }

  // The controller commits each CreateTopics request on its own, so one request carries a whole
  // batch. The client sends one config list for all the topics of a request, so a batch goes as
  // one request per distinct spec.config (the platform's topics share a few).
  const creates = new Batcher<DesiredTopic, string | undefined>(async (topics) => {
    const groups = new Map<string, DesiredTopic[]>();
    for (const topic of new Map(topics.map((t) => [t.name, t])).values()) {
      const key = JSON.stringify(Object.entries(topic.config).sort(([a], [b]) => (a < b ? -1 : 1)));
      groups.set(key, [...(groups.get(key) ?? []), topic]);
    }
    const outcomes = new Map<string, Settled<string | undefined>>();
    await Promise.all(
      [...groups.values()].map(async (group) => {
        for (const [name, outcome] of await createGroup(group)) outcomes.set(name, outcome);
      }),
    );
    return topics.map((t) => outcomes.get(t.name) ?? { ok: false, error: new Error(`Kafka did not answer for topic ${t.name}`) });
  }, BATCHING);

  async function createGroup(group: readonly DesiredTopic[]): Promise<Map<string, Settled<string | undefined>>> {
    try {
      const created = await admin.createTopics({
        topics: group.map((t) => ({ topic: t.name, partitions: t.partitions ?? BROKER_DEFAULT, replicas: t.replicas ?? BROKER_DEFAULT })),
        configs: Object.entries(group[0]?.config ?? {}).map(([name, value]) => ({ name, value })),
      });
      return new Map(created.map((c) => [c.name, { ok: true, value: kafkaTopicId(c.id) }]));
    } catch (error) {
      // Kafka answers per topic: the others of the batch were created.
      const answers = topicAnswers(error, 'topics');
      return new Map(
        group.map((t): [string, Settled<string | undefined>] => {
          const answer = answers?.get(t.name);
          if (answer === undefined) return [t.name, { ok: false, error: classifyKafkaError(error, `creating topic ${t.name}`) }];
          if (answer.error === undefined) return [t.name, { ok: true, value: answer.topicId === undefined ? undefined : kafkaTopicId(answer.topicId) }];
          const refused = classifyKafkaError(answer.error, `creating topic ${t.name}`);
          if (refused instanceof KafkaAdminError && refused.type === 'TOPIC_ALREADY_EXISTS') return [t.name, { ok: true, value: undefined }];
          return [t.name, { ok: false, error: refused }];
        }),
      );
    }
  }

  // Deletes are batched too. A topic already gone counts as deleted; the client retries that
  // answer twice first, which costs a few hundred milliseconds in a case that is rare.
  const deletes = new Batcher<string, undefined>(async (names) => {
    try {
      await admin.deleteTopics({ topics: [...new Set(names)] });
      return names.map(() => ({ ok: true, value: undefined }));
    } catch (error) {
      const answers = topicAnswers(error, 'responses');
      return names.map((name): Settled<undefined> => {
        const answer = answers?.get(name);
        if (answer === undefined) return { ok: false, error: classifyKafkaError(error, `deleting topic ${name}`) };
        if (answer.error === undefined) return { ok: true, value: undefined };
        const refused = classifyKafkaError(answer.error, `deleting topic ${name}`);
        if (refused instanceof KafkaAdminError && refused.type === 'UNKNOWN_TOPIC_OR_PARTITION') return { ok: true, value: undefined };
        return { ok: false, error: refused };
      });
    }
  }, BATCHING);

  // The client deduplicates concurrent createPartitions calls under one key whatever their topics:
  // a call made while another is in flight would get that one's answer without being sent. So
  // they go one at a time (they are rare: a raised spec.partitions).
  let partitionsInFlight: Promise<unknown> = Promise.resolve();

  return {
    async describe(name) {
      const topic = (await metadataOf(name))?.topics.get(name);
      if (topic === undefined) return undefined;
      let described;
      try {
        described = await run(`describing topic ${name}`, () =>
          admin.describeConfigs({ resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: name }], includeSynonyms: false }),
        );
      } catch (error) {
        // Deleted between the two reads.
        if (error instanceof KafkaAdminError && error.type === 'UNKNOWN_TOPIC_OR_PARTITION') return undefined;
        throw error;
      }
      const config: Record<string, ActualConfigEntry> = {};
      for (const entry of described[0]?.configs ?? []) {
        config[entry.name] = { value: entry.value ?? null, isTopicOverride: entry.configSource === ConfigSources.DYNAMIC_TOPIC_CONFIG };
      }
      const topicId = kafkaTopicId(topic.id);
      return {
        name,
        ...(topicId === undefined ? {} : { topicId }),
        replicasPerPartition: topic.partitions.map((p) => p.replicas.length),
        config,
      };
    },

    async create(topic) {
      try {
        return await creates.submit(topic);
      } catch (error) {
        throw await explainCreateFailure(error, topic);
      }
    },

    increasePartitions(name, count) {
      const increase = partitionsInFlight.then(() =>
        run(`increasing partitions of ${name} to ${count}`, () => admin.createPartitions({ topics: [{ name, count }] })),
      );
      partitionsInFlight = increase.catch(() => undefined);
      return increase;
    },

    async replaceConfig(name, config) {
      const configs = Object.entries(config).map(([key, value]) => ({ name: key, value }));
      await run(`changing config of ${name}`, () =>
        admin.alterConfigs({ resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: name, configs }] }),
      );
    },

    async delete(name) {
      await deletes.submit(name);
    },

    async disconnect() {
      await admin.close();
    },
  };

  // Kafka's message for a replication factor beyond the brokers speaks of partitions; the status
  // says it in the resource's terms, with the broker count.
  async function explainCreateFailure(error: unknown, topic: DesiredTopic): Promise<unknown> {
    if (!(error instanceof KafkaAdminError) || error.type !== 'INVALID_REPLICATION_FACTOR') return error;
    const brokers = await admin.metadata({ topics: [] }).then(
      (m) => String(m.brokers.size),
      () => 'an unknown number of',
    );
    return new KafkaAdminError(
      `${error.message} (spec.replicas is ${topic.replicas ?? BROKER_DEFAULT}, the cluster has ${brokers} broker(s))`,
      error.type,
      false,
      { cause: error },
    );
  }
}

// The client turns Kafka's UNKNOWN_TOPIC_OR_PARTITION for a metadata request into a UserError that
// carries no code, only this message.
function isUnknownTopic(error: unknown, name: string): boolean {
  return error instanceof UserError && error.message === `Unknown topic ${name}.`;
}
