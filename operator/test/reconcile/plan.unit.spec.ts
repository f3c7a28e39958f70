import { desiredTopic, planTopic, type ActualTopic, type DesiredTopic } from '../../src/reconcile/plan.js';
import { aKafkaTopic } from '../fixtures.js';

const desired = (parts: Partial<DesiredTopic> = {}): DesiredTopic => ({
  name: 'orders',
  partitions: 3,
  replicas: 1,
  config: {},
  ...parts,
});

const actual = (parts: Partial<ActualTopic> = {}): ActualTopic => ({
  name: 'orders',
  replicasPerPartition: [1, 1, 1],
  config: {
    'retention.ms': { value: '604800000', isTopicOverride: false },
    'cleanup.policy': { value: 'delete', isTopicOverride: false },
  },
  ...parts,
});

describe('desiredTopic', () => {
  it('given a resource without spec.topicName, when read, then the topic is named after the resource', () => {
    const kt = aKafkaTopic({ metadata: { name: 'orders' }, spec: { partitions: 2, config: { 'retention.ms': 1000 } } });

    expect(desiredTopic(kt)).toEqual({
      ok: true,
      desired: { name: 'orders', partitions: 2, config: { 'retention.ms': '1000' } },
    });
  });

  it('given spec.topicName, when read, then it names the topic', () => {
    const kt = aKafkaTopic({ metadata: { name: 'orders-alias' }, spec: { topicName: 'Orders.V1' } });

    expect(desiredTopic(kt)).toEqual({ ok: true, desired: { name: 'Orders.V1', config: {} } });
  });

  it('given a malformed config value, when read, then it is an InvalidResource failure', () => {
    const kt = aKafkaTopic({ spec: { config: { 'retention.ms': { days: 7 } } } });

    expect(desiredTopic(kt)).toEqual({
      ok: false,
      failure: expect.objectContaining({ reason: 'InvalidResource' }) as unknown,
    });
  });
});

describe('planTopic', () => {
  it('given no topic in Kafka, when planned, then it is created as desired', () => {
    const want = desired({ config: { 'retention.ms': '1000' } });

    expect(planTopic(want, undefined)).toEqual({ ok: true, actions: [{ kind: 'createTopic', topic: want }] });
  });

  it('given a topic in sync, when planned, then there is nothing to do', () => {
    expect(planTopic(desired(), actual())).toEqual({ ok: true, actions: [] });
  });

  it('given a spec value equal to the broker default, when planned, then nothing is written', () => {
    expect(planTopic(desired({ config: { 'cleanup.policy': 'delete' } }), actual())).toEqual({ ok: true, actions: [] });
  });

  it('given more partitions desired, when planned, then partitions are increased', () => {
    expect(planTopic(desired({ partitions: 5 }), actual())).toEqual({
      ok: true,
      actions: [{ kind: 'increasePartitions', from: 3, to: 5 }],
    });
  });

  it('given no partitions in the spec, when planned, then the current count is left alone', () => {
    const want: DesiredTopic = { name: 'orders', replicas: 1, config: {} };

    expect(planTopic(want, actual({ replicasPerPartition: [1, 1, 1, 1, 1, 1] }))).toEqual({ ok: true, actions: [] });
  });

  it('given fewer partitions desired, when planned, then it is refused as NotSupported and nothing is changed', () => {
    const plan = planTopic(desired({ partitions: 2, config: { 'retention.ms': '1' } }), actual());

    expect(plan).toEqual({
      ok: false,
      failure: {
        reason: 'NotSupported',
        message: 'Decreasing partitions not supported: spec.partitions is 2, the topic has 3',
        retriable: false,
      },
    });
  });

  it('given a different replication factor, when planned, then it is refused naming the partitions', () => {
    const plan = planTopic(desired({ replicas: 3 }), actual({ replicasPerPartition: [1, 3, 1] }));

    expect(plan).toEqual({
      ok: false,
      failure: {
        reason: 'NotSupported',
        message: 'Replication factor change not supported, but required for partitions [0, 2]',
        retriable: false,
      },
    });
  });

  it('given no replicas in the spec, when planned, then the replication factor is not compared', () => {
    const want: DesiredTopic = { name: 'orders', partitions: 3, config: {} };

    expect(planTopic(want, actual({ replicasPerPartition: [3, 3, 3] }))).toEqual({ ok: true, actions: [] });
  });

  it('given a config value that differs, when planned, then the spec value is set over it', () => {
    const plan = planTopic(desired({ config: { 'retention.ms': '1000' } }), actual());

    expect(plan).toEqual({
      ok: true,
      actions: [{ kind: 'alterConfig', config: { 'retention.ms': '1000' }, set: { 'retention.ms': '1000' }, unset: [] }],
    });
  });

  it('given an override changed directly in Kafka, when planned, then the spec value is written back', () => {
    const drifted = actual({
      config: { 'retention.ms': { value: '5', isTopicOverride: true } },
    });

    const plan = planTopic(desired({ config: { 'retention.ms': '1000' } }), drifted);

    expect(plan).toEqual({
      ok: true,
      actions: [{ kind: 'alterConfig', config: { 'retention.ms': '1000' }, set: { 'retention.ms': '1000' }, unset: [] }],
    });
  });

  it('given overrides in Kafka the spec no longer sets, when planned, then they are unset and the rest kept', () => {
    const current = actual({
      config: {
        'retention.ms': { value: '1000', isTopicOverride: true },
        'segment.bytes': { value: '1048576', isTopicOverride: true },
        'cleanup.policy': { value: 'compact', isTopicOverride: true },
        'flush.ms': { value: '9223372036854775807', isTopicOverride: false },
      },
    });

    const plan = planTopic(desired({ config: { 'retention.ms': '1000' } }), current);

    expect(plan).toEqual({
      ok: true,
      actions: [
        {
          kind: 'alterConfig',
          config: { 'retention.ms': '1000' },
          set: {},
          unset: ['cleanup.policy', 'segment.bytes'],
        },
      ],
    });
  });

  it('given both a config change and more partitions, when planned, then both are done, config first', () => {
    const plan = planTopic(desired({ partitions: 4, config: { 'retention.ms': '1' } }), actual());

    expect(plan.ok && plan.actions.map((a) => a.kind)).toEqual(['alterConfig', 'increasePartitions']);
  });
});
