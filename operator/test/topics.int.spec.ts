import { ConfigResourceTypes, ConfigSources } from '@platformatic/kafka';
import type { RunningOperator } from '../src/app.js';
import {
  conditionOf,
  core,
  createNamespace,
  createTopic,
  deleteLeftoverTopics,
  deleteTopic,
  eventually,
  mergePatchTopic,
  readTopic,
  startTestOperator,
  uniqueName,
  useKafkaAdmin,
  visibleKafkaTopicId,
  waitForCondition,
  waitGone,
  waitKafkaTopicDeleted,
  waitReady,
} from './support/harness.js';

const admin = useKafkaAdmin();
let namespace: string;
let operator: RunningOperator;
const kafkaTopics: string[] = [];

/** A topic name for this test, deleted from Kafka afterwards whatever happens. */
function topicName(): string {
  const name = uniqueName('t');
  kafkaTopics.push(name);
  return name;
}

async function partitionsOf(topic: string, expected: number): Promise<number | undefined> {
  // Ready follows the controller's commit, as in Strimzi; the broker answering this admin may show
  // a new topic or its new partitions a moment later, so look for a while before settling.
  const deadline = Date.now() + 10_000;
  for (;;) {
    // A partition still without a leader is an error answer: not yet.
    const seen = (await admin.listTopics()).includes(topic)
      ? await admin.metadata({ topics: [topic], forceUpdate: true }).then(
          (metadata) => metadata.topics.get(topic)?.partitionsCount,
          () => undefined,
        )
      : undefined;
    if (seen === expected || Date.now() >= deadline) return seen;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The topic-level overrides of a Kafka topic. */
async function overridesOf(topic: string): Promise<Record<string, string>> {
  const described = await admin.describeConfigs({
    resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: topic }],
    includeSynonyms: false,
  });
  const entries = described[0]?.configs ?? [];
  return Object.fromEntries(entries.filter((e) => e.configSource === ConfigSources.DYNAMIC_TOPIC_CONFIG).map((e) => [e.name, e.value ?? '']));
}

/** The reasons of the events recorded for a KafkaTopic, once `reason` is among them. */
async function eventReasonsWith(name: string, reason: string): Promise<string[]> {
  return eventually(
    async () => {
      const events = await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${name}` });
      return events.items.map((e) => e.reason ?? '');
    },
    (reasons) => reasons.includes(reason),
  );
}

beforeEach(async () => {
  namespace = await createNamespace();
  operator = await startTestOperator({ namespace });
});

afterEach(async () => {
  await operator.stop();
  await deleteLeftoverTopics(admin, kafkaTopics);
  await core.deleteNamespace({ name: namespace });
});

describe('KafkaTopic operator', () => {
  it('given a new KafkaTopic, when reconciled, then the Kafka topic exists as specified and the resource is Ready', async () => {
    const name = topicName();

    await createTopic(namespace, name, {
      spec: { partitions: 3, replicas: 1, config: { 'retention.ms': 3600000, 'cleanup.policy': ['compact', 'delete'] } },
    });

    const kt = await waitReady(namespace, name);
    expect(kt?.status).toMatchObject({ observedGeneration: 1, topicName: name });
    expect(kt?.metadata.finalizers).toContain('strimzi.io/topic-operator');
    expect(await partitionsOf(name, 3)).toBe(3);
    expect(await overridesOf(name)).toEqual({ 'retention.ms': '3600000', 'cleanup.policy': 'compact,delete' });
    expect(await eventReasonsWith(name, 'TopicCreated')).toContain('TopicCreated');
  });

  it('given a new KafkaTopic, when Ready, then status.topicId is the id Kafka reports for the topic', async () => {
    const name = topicName();

    await createTopic(namespace, name, { spec: { partitions: 1, replicas: 1 } });

    const kt = await waitReady(namespace, name);
    expect(kt?.status?.topicId).toEqual(expect.stringMatching(/^[A-Za-z0-9_-]{22}$/));
    expect(kt?.status?.topicId).toBe(await visibleKafkaTopicId(admin, name));
  });

  it('given a Ready topic deleted in Kafka behind the operator, when the resync recreates it, then status.topicId is the new topic’s id', async () => {
    const name = topicName();
    await createTopic(namespace, name, { spec: { partitions: 2, replicas: 1 } });
    const before = (await waitReady(namespace, name))?.status?.topicId;
    expect(before).toBe(await visibleKafkaTopicId(admin, name));

    await admin.deleteTopics({ topics: [name] });

    const recreated = await eventually(
      () => readTopic(namespace, name),
      (kt) => kt?.status?.topicId !== undefined && kt.status.topicId !== before,
    );
    expect(conditionOf(recreated)).toMatchObject({ type: 'Ready', status: 'True' });
    expect(recreated?.status?.topicId).toBe(await visibleKafkaTopicId(admin, name, before));
    expect(await partitionsOf(name, 2)).toBe(2);
  });

  it('given spec.topicName, when reconciled, then the Kafka topic takes that name', async () => {
    const resource = uniqueName('alias');
    const name = `${topicName()}.With_Caps`;
    kafkaTopics.push(name);

    await createTopic(namespace, resource, { spec: { topicName: name, partitions: 1 } });

    expect((await waitReady(namespace, resource))?.status?.topicName).toBe(name);
    expect(await partitionsOf(name, 1)).toBe(1);
  });

  it('given a Ready topic, when its partitions are raised, then Kafka has the new count', async () => {
    const name = topicName();
    await createTopic(namespace, name, { spec: { partitions: 1, replicas: 1 } });
    await waitReady(namespace, name);

    await mergePatchTopic(namespace, name, { spec: { partitions: 4 } });

    const kt = await waitReady(namespace, name);
    expect(kt?.status?.observedGeneration).toBe(2);
    expect(await partitionsOf(name, 4)).toBe(4);
    expect(await eventReasonsWith(name, 'PartitionsIncreased')).toContain('PartitionsIncreased');
  });

  it('given a Ready topic, when its partitions are lowered, then it is refused and nothing changes in Kafka', async () => {
    const name = topicName();
    await createTopic(namespace, name, { spec: { partitions: 3, replicas: 1, config: { 'retention.ms': 1000 } } });
    await waitReady(namespace, name);

    await mergePatchTopic(namespace, name, { spec: { partitions: 2, config: { 'retention.ms': 2000 } } });

    const kt = await waitForCondition(namespace, name, { status: 'False' });
    expect(conditionOf(kt)).toMatchObject({ type: 'Ready', reason: 'NotSupported', message: expect.stringContaining('Decreasing partitions not supported') as unknown });
    expect(kt?.status?.observedGeneration).toBe(2);
    expect(await partitionsOf(name, 3)).toBe(3);
    expect(await overridesOf(name)).toEqual({ 'retention.ms': '1000' });
    expect(await eventReasonsWith(name, 'NotSupported')).toContain('NotSupported');
  });

  it('given a Ready topic, when a config value changes and another is removed, then Kafka sets one and unsets the other', async () => {
    const name = topicName();
    await createTopic(namespace, name, { spec: { partitions: 1, replicas: 1, config: { 'retention.ms': 1000, 'segment.bytes': 1048576 } } });
    await waitReady(namespace, name);

    await mergePatchTopic(namespace, name, { spec: { config: { 'retention.ms': 2000, 'segment.bytes': null } } });

    await waitReady(namespace, name);
    expect(await overridesOf(name)).toEqual({ 'retention.ms': '2000' });
  });

  it('given a Ready topic, when its config is changed directly in Kafka, then the next resync reverts it', async () => {
    const name = topicName();
    await createTopic(namespace, name, { spec: { partitions: 1, replicas: 1, config: { 'retention.ms': 1000 } } });
    await waitReady(namespace, name);

    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          resourceType: ConfigResourceTypes.TOPIC,
          resourceName: name,
          configs: [
            { name: 'retention.ms', value: '5' },
            { name: 'segment.ms', value: '60000' },
          ],
        },
      ],
    });

    const reverted = await eventually(() => overridesOf(name), (o) => o['retention.ms'] === '1000' && !('segment.ms' in o));
    expect(reverted).toEqual({ 'retention.ms': '1000' });
  });

  it('given a Ready topic, when the KafkaTopic is deleted, then the finalizer deletes the Kafka topic before the resource goes', async () => {
    const name = topicName();
    await createTopic(namespace, name);
    await waitReady(namespace, name);

    await deleteTopic(namespace, name);

    await waitGone(namespace, name);
    expect(await waitKafkaTopicDeleted(admin, name)).not.toContain(name);
  });

  it('given strimzi.io/managed "false", when the KafkaTopic is deleted, then the Kafka topic is kept', async () => {
    const name = topicName();
    await createTopic(namespace, name);
    await waitReady(namespace, name);

    await mergePatchTopic(namespace, name, { metadata: { annotations: { 'strimzi.io/managed': 'false' } } });
    const detached = await waitForCondition(namespace, name, { type: 'Unmanaged' });
    await deleteTopic(namespace, name);

    expect(detached?.metadata.finalizers ?? []).not.toContain('strimzi.io/topic-operator');
    expect(detached?.status?.topicName).toBeUndefined();
    await waitGone(namespace, name);
    expect(await admin.listTopics()).toContain(name);
  });

  it('given strimzi.io/pause-reconciliation "true", when the spec changes, then Kafka is untouched until the pause ends', async () => {
    const name = topicName();
    await createTopic(namespace, name, { spec: { partitions: 1, replicas: 1 } });
    await waitReady(namespace, name);

    await mergePatchTopic(namespace, name, { metadata: { annotations: { 'strimzi.io/pause-reconciliation': 'true' } } });
    await waitForCondition(namespace, name, { type: 'ReconciliationPaused' });
    await mergePatchTopic(namespace, name, { spec: { partitions: 2 } });
    await new Promise((resolve) => setTimeout(resolve, 3000));

    const paused = await readTopic(namespace, name);
    expect(conditionOf(paused)).toMatchObject({ type: 'ReconciliationPaused', status: 'True' });
    expect(paused?.status?.observedGeneration).toBe(1);
    expect(await partitionsOf(name, 1)).toBe(1);

    await mergePatchTopic(namespace, name, { metadata: { annotations: { 'strimzi.io/pause-reconciliation': null } } });

    expect((await waitReady(namespace, name))?.status?.observedGeneration).toBe(2);
    expect(await partitionsOf(name, 2)).toBe(2);
  });

  it('given two KafkaTopics for one Kafka topic, when reconciled, then the older manages it and the newer is a ResourceConflict', async () => {
    const name = topicName();
    await createTopic(namespace, name, { spec: { partitions: 2, replicas: 1 } });
    await waitReady(namespace, name);

    const copy = uniqueName('copy');
    await createTopic(namespace, copy, { spec: { topicName: name, partitions: 5, replicas: 1 } });

    const loser = await waitForCondition(namespace, copy, { status: 'False' });
    expect(conditionOf(loser)).toMatchObject({ reason: 'ResourceConflict', message: `Managed by KafkaTopic ${namespace}/${name}` });
    expect(await partitionsOf(name, 2)).toBe(2);

    await deleteTopic(namespace, copy);
    await waitGone(namespace, copy);
    expect(await admin.listTopics()).toContain(name);
    expect(conditionOf(await readTopic(namespace, name))).toMatchObject({ type: 'Ready', status: 'True' });
  });

  it('given an unknown config key, when reconciled, then the status names it and no topic is created', async () => {
    const name = topicName();

    await createTopic(namespace, name, { spec: { partitions: 1, replicas: 1, config: { 'retention.ms': 1000, 'no.such.key': 'x' } } });

    const kt = await waitForCondition(namespace, name, { status: 'False' });
    expect(conditionOf(kt)).toMatchObject({ reason: 'KafkaError', message: expect.stringContaining('no.such.key') as unknown });
    expect(conditionOf(kt)?.message).not.toContain('retention.ms');
    expect(await admin.listTopics()).not.toContain(name);
  });

  it('given a config value of an unsupported type, when reconciled, then the status says InvalidResource', async () => {
    const name = topicName();

    await createTopic(namespace, name, { spec: { partitions: 1, config: { 'retention.ms': { days: 7 } } } });

    const kt = await waitForCondition(namespace, name, { status: 'False' });
    expect(conditionOf(kt)).toMatchObject({ reason: 'InvalidResource', message: expect.stringContaining('spec.config.retention.ms') as unknown });
  });

  it('given more replicas than brokers, when reconciled, then it is refused with the broker count and nothing is created', async () => {
    const name = topicName();

    await createTopic(namespace, name, { spec: { partitions: 1, replicas: 3 } });

    const kt = await waitForCondition(namespace, name, { status: 'False' });
    expect(conditionOf(kt)).toMatchObject({
      reason: 'KafkaError',
      message: expect.stringMatching(/INVALID_REPLICATION_FACTOR.*spec\.replicas is 3, the cluster has 1 broker/) as unknown,
    });
    expect(await admin.listTopics()).not.toContain(name);
  });

  it('given a KafkaTopic labelled for another cluster, when created, then this operator leaves it alone', async () => {
    const name = topicName();

    await createTopic(namespace, name, { labels: { 'strimzi.io/cluster': 'another-cluster' } });
    await new Promise((resolve) => setTimeout(resolve, 2500));

    expect((await readTopic(namespace, name))?.status).toBeUndefined();
    expect(await admin.listTopics()).not.toContain(name);
  });
});
