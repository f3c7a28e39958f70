import { pino } from 'pino';
import type { ApplyDeps } from '../../src/apply/apply-decision.js';
import type { TopicEvent } from '../../src/reconcile/events.js';
import type { KafkaTopic, KafkaTopicStatus } from '../../src/reconcile/kafka-topic.js';
import type { ActualTopic, DesiredTopic } from '../../src/reconcile/plan.js';
import type { TopicAdmin } from '../../src/kafka/topic-admin.js';

/** Kafka kept in memory: enough to watch what `applyDecision` asks of it. */
export class MemoryKafka implements TopicAdmin {
  readonly topics = new Map<string, ActualTopic>();
  readonly calls: string[] = [];
  failWith: Error | undefined;
  /** Kafka answering TOPIC_ALREADY_EXISTS: another client created the topic just before this create. */
  createdElsewhere = false;
  private created = 0;

  private check(call: string): Promise<void> {
    this.calls.push(call);
    return this.failWith ? Promise.reject(this.failWith) : Promise.resolve();
  }

  async describe(name: string) {
    await this.check(`describe ${name}`);
    return this.topics.get(name);
  }
  async create(topic: DesiredTopic) {
    await this.check(`create ${topic.name}`);
    const config = Object.fromEntries(Object.entries(topic.config).map(([k, value]) => [k, { value, isTopicOverride: true }]));
    // Every creation gets a new id, as in Kafka, so a recreated topic is told from the one before.
    const topicId = `id-${topic.name}-${++this.created}`;
    this.topics.set(topic.name, { name: topic.name, topicId, replicasPerPartition: Array<number>(topic.partitions ?? 1).fill(topic.replicas ?? 1), config });
    return this.createdElsewhere ? undefined : topicId;
  }
  async increasePartitions(name: string, count: number) {
    await this.check(`increasePartitions ${name} ${count}`);
  }
  async replaceConfig(name: string) {
    await this.check(`replaceConfig ${name}`);
  }
  async delete(name: string) {
    await this.check(`delete ${name}`);
    this.topics.delete(name);
  }
  disconnect() {
    return Promise.resolve();
  }
}

/** The collaborators of `applyDecision` in memory, with what they were asked to do. */
export function harness() {
  const kafka = new MemoryKafka();
  const statuses: KafkaTopicStatus[] = [];
  const finalizers: string[] = [];
  const events: TopicEvent[] = [];
  const writeFailures: Error[] = [];
  const deps: ApplyDeps = {
    topics: kafka,
    kube: {
      writeStatus: (_kt: KafkaTopic, status: KafkaTopicStatus) => {
        statuses.push(status);
        return Promise.resolve();
      },
      addFinalizer: () => {
        const failure = writeFailures.shift();
        if (failure) return Promise.reject(failure);
        finalizers.push('add');
        return Promise.resolve();
      },
      removeFinalizer: () => {
        finalizers.push('remove');
        return Promise.resolve();
      },
    },
    events: {
      record: (_kt: KafkaTopic, event: TopicEvent) => {
        events.push(event);
        return Promise.resolve();
      },
    },
    clock: () => new Date('2025-03-01T00:00:00Z'),
    logger: pino({ level: 'silent' }),
  };
  return { kafka, statuses, finalizers, events, writeFailures, deps };
}

