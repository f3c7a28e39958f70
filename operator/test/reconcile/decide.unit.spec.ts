import { decide } from '../../src/reconcile/decide.js';
import { aKafkaTopic, readyStatus } from '../fixtures.js';

const deleting = { deletionTimestamp: new Date('2025-01-02T00:00:00Z') };
const withFinalizer = { finalizers: ['strimzi.io/topic-operator'] };
const older = new Date('2024-12-31T00:00:00Z');

describe('decide', () => {
  it('given a valid managed resource, when decided, then Kafka is synced to its spec', () => {
    const kt = aKafkaTopic({ spec: { partitions: 3, replicas: 1, config: { 'retention.ms': 1000 } } });

    expect(decide(kt, [kt])).toEqual({
      kind: 'sync',
      desired: { name: 'orders', partitions: 3, replicas: 1, config: { 'retention.ms': '1000' } },
    });
  });

  it('given a resource being deleted that holds the finalizer, when decided, then its topic is deleted', () => {
    const kt = aKafkaTopic({ metadata: { ...deleting, ...withFinalizer } });

    expect(decide(kt, [kt])).toEqual({ kind: 'deleteTopic', topicName: 'orders' });
  });

  it('given a resource being deleted without the finalizer, when decided, then there is nothing to do', () => {
    const kt = aKafkaTopic({ metadata: deleting });

    expect(decide(kt, [kt])).toEqual({ kind: 'none' });
  });

  it('given an unmanaged resource being deleted, when decided, then the finalizer is released and the topic kept', () => {
    const kt = aKafkaTopic({
      metadata: { ...deleting, ...withFinalizer, annotations: { 'strimzi.io/managed': 'false' } },
    });

    expect(decide(kt, [kt])).toEqual({ kind: 'release' });
  });

  it('given a paused resource being deleted, when decided, then its topic is still deleted, as in Strimzi', () => {
    const kt = aKafkaTopic({
      metadata: { ...deleting, ...withFinalizer, annotations: { 'strimzi.io/pause-reconciliation': 'true' } },
    });

    expect(decide(kt, [kt])).toEqual({ kind: 'deleteTopic', topicName: 'orders' });
  });

  it('given a conflicting newer resource being deleted, when decided, then the older owner keeps the topic', () => {
    const owner = aKafkaTopic({ metadata: { name: 'orders', creationTimestamp: older } });
    const loser = aKafkaTopic({ metadata: { name: 'orders-copy', ...deleting, ...withFinalizer }, spec: { topicName: 'orders' } });

    expect(decide(loser, [owner, loser])).toEqual({ kind: 'release' });
  });

  it('given strimzi.io/managed "false", when decided, then the resource is detached', () => {
    const kt = aKafkaTopic({ metadata: { annotations: { 'strimzi.io/managed': 'false' } } });

    expect(decide(kt, [kt])).toEqual({ kind: 'detach' });
  });

  it('given strimzi.io/managed with any other value, when decided, then the resource stays managed', () => {
    const kt = aKafkaTopic({ metadata: { annotations: { 'strimzi.io/managed': 'no' } } });

    expect(decide(kt, [kt]).kind).toBe('sync');
  });

  it('given strimzi.io/pause-reconciliation "true", when decided, then reconciliation is paused', () => {
    const kt = aKafkaTopic({ metadata: { annotations: { 'strimzi.io/pause-reconciliation': 'true' } } });

    expect(decide(kt, [kt])).toEqual({ kind: 'pause' });
  });

  it('given a changed spec.topicName after the topic was reconciled, when decided, then the rename is refused', () => {
    const kt = aKafkaTopic({ spec: { topicName: 'orders-v2' }, status: readyStatus('orders') });

    expect(decide(kt, [kt])).toEqual({
      kind: 'refuse',
      failure: { reason: 'NotSupported', message: 'Changing spec.topicName is not supported', retriable: false },
    });
  });

  it('given an older resource claiming the same topic, when decided, then this one is a ResourceConflict', () => {
    const owner = aKafkaTopic({ metadata: { name: 'orders', creationTimestamp: older } });
    const newer = aKafkaTopic({ metadata: { name: 'orders-copy' }, spec: { topicName: 'orders' } });

    expect(decide(newer, [owner, newer])).toEqual({
      kind: 'refuse',
      failure: { reason: 'ResourceConflict', message: 'Managed by KafkaTopic msa/orders', retriable: false },
    });
    expect(decide(owner, [owner, newer]).kind).toBe('sync');
  });

  it('given an older but unmanaged resource claiming the same topic, when decided, then it does not win', () => {
    const detached = aKafkaTopic({
      metadata: { name: 'orders', creationTimestamp: older, annotations: { 'strimzi.io/managed': 'false' } },
    });
    const kt = aKafkaTopic({ metadata: { name: 'orders-copy' }, spec: { topicName: 'orders' } });

    expect(decide(kt, [detached, kt]).kind).toBe('sync');
  });

  it('given two claimants created in the same second, when decided, then the one already Ready keeps the topic', () => {
    const ready = aKafkaTopic({ metadata: { name: 'zz-orders' }, spec: { topicName: 'orders' }, status: readyStatus('orders') });
    const fresh = aKafkaTopic({ metadata: { name: 'aa-orders' }, spec: { topicName: 'orders' } });

    expect(decide(ready, [ready, fresh]).kind).toBe('sync');
    expect(decide(fresh, [ready, fresh])).toMatchObject({ kind: 'refuse', failure: { reason: 'ResourceConflict' } });
  });

  it('given two fresh claimants created in the same second, when decided, then the name breaks the tie the same way for both', () => {
    const a = aKafkaTopic({ metadata: { name: 'aa-orders' }, spec: { topicName: 'orders' } });
    const b = aKafkaTopic({ metadata: { name: 'bb-orders' }, spec: { topicName: 'orders' } });

    expect(decide(a, [b, a]).kind).toBe('sync');
    expect(decide(b, [a, b])).toMatchObject({ kind: 'refuse', failure: { message: 'Managed by KafkaTopic msa/aa-orders' } });
  });

  it('given a ResourceConflict loser that is also paused, when decided, then the conflict is reported first', () => {
    const owner = aKafkaTopic({ metadata: { name: 'orders', creationTimestamp: older } });
    const loser = aKafkaTopic({
      metadata: { name: 'orders-copy', annotations: { 'strimzi.io/pause-reconciliation': 'true' } },
      spec: { topicName: 'orders' },
    });

    expect(decide(loser, [owner, loser])).toMatchObject({ kind: 'refuse', failure: { reason: 'ResourceConflict' } });
  });

  it('given a malformed config, when decided, then it is refused as InvalidResource', () => {
    const kt = aKafkaTopic({ spec: { config: { 'retention.ms': null } } });

    expect(decide(kt, [kt])).toMatchObject({ kind: 'refuse', failure: { reason: 'InvalidResource' } });
  });
});
