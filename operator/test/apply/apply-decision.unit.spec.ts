import { applyDecision } from '../../src/apply/apply-decision.js';
import { KafkaAdminError } from '../../src/kafka/errors.js';
import { aKafkaTopic, readyStatus } from '../fixtures.js';
import { harness } from '../support/fakes.js';

describe('applyDecision', () => {
  it('given a new KafkaTopic, when reconciled, then the finalizer is added, the topic created, and the status Ready', async () => {
    const h = harness();
    const kt = aKafkaTopic({ spec: { partitions: 2, replicas: 1 } });

    const result = await applyDecision(kt, [kt], h.deps);

    expect(result).toEqual({ retry: false });
    expect(h.finalizers).toEqual(['add']);
    expect(h.kafka.calls).toEqual(['describe orders', 'create orders']);
    expect(h.statuses[0]?.conditions?.[0]).toMatchObject({ type: 'Ready', status: 'True' });
    expect(h.events.map((e) => e.reason)).toEqual(['TopicCreated']);
  });

  it('given a topic already in sync and a Ready status, when reconciled, then nothing is written anywhere', async () => {
    const h = harness();
    h.kafka.topics.set('orders', { name: 'orders', replicasPerPartition: [1, 1, 1], config: {} });
    const kt = aKafkaTopic({ metadata: { finalizers: ['strimzi.io/topic-operator'] }, status: readyStatus('orders') });

    await applyDecision(kt, [kt], h.deps);

    expect(h.kafka.calls).toEqual(['describe orders']);
    expect(h.statuses).toEqual([]);
    expect(h.finalizers).toEqual([]);
    expect(h.events).toEqual([]);
  });

  it('given Kafka unreachable, when reconciled, then the status says so once and the key is retried', async () => {
    const h = harness();
    h.kafka.failWith = new KafkaAdminError('Kafka unreachable while describing topic orders: ECONNREFUSED', undefined, true);
    const kt = aKafkaTopic();

    const result = await applyDecision(kt, [kt], h.deps);

    expect(result).toEqual({ retry: true, failure: { reason: 'KafkaError', message: expect.stringContaining('unreachable') as unknown, retriable: true } });
    expect(h.statuses[0]?.conditions?.[0]).toMatchObject({ status: 'False', reason: 'KafkaError' });
    expect(h.events.map((e) => e.type)).toEqual(['Warning']);
  });

  it('given Kafka refusing for good, when reconciled, then the failure is reported and not retried on a backoff', async () => {
    const h = harness();
    h.kafka.failWith = new KafkaAdminError('Kafka refused creating topic orders: INVALID_CONFIG', 'INVALID_CONFIG', false);
    const kt = aKafkaTopic();

    expect(await applyDecision(kt, [kt], h.deps)).toMatchObject({ retry: false, failure: { reason: 'KafkaError' } });
  });

  it('given a lost race on the finalizer patch, when reconciled, then it is retried quietly', async () => {
    const h = harness();
    h.writeFailures.push(Object.assign(new Error('conflict'), { code: 422 }));
    const kt = aKafkaTopic();

    expect(await applyDecision(kt, [kt], h.deps)).toEqual({ retry: true });
    expect(h.kafka.calls).toEqual([]);
    expect(h.statuses).toEqual([]);
  });

  it('given a partition decrease, when reconciled, then Kafka is only read and the status refuses', async () => {
    const h = harness();
    h.kafka.topics.set('orders', { name: 'orders', replicasPerPartition: [1, 1, 1, 1], config: {} });
    const kt = aKafkaTopic({ metadata: { finalizers: ['strimzi.io/topic-operator'] }, spec: { partitions: 2 } });

    const result = await applyDecision(kt, [kt], h.deps);

    expect(result).toMatchObject({ retry: false, failure: { reason: 'NotSupported' } });
    expect(h.kafka.calls).toEqual(['describe orders']);
  });

  it('given an owner being deleted, when reconciled, then the topic is deleted before the finalizer is released', async () => {
    const h = harness();
    h.kafka.topics.set('orders', { name: 'orders', replicasPerPartition: [1], config: {} });
    const kt = aKafkaTopic({ metadata: { finalizers: ['strimzi.io/topic-operator'], deletionTimestamp: new Date() } });

    await applyDecision(kt, [kt], h.deps);

    expect(h.kafka.calls).toEqual(['delete orders']);
    expect(h.finalizers).toEqual(['remove']);
    expect(h.events.map((e) => e.reason)).toEqual(['TopicDeleted']);
  });

  it('given a failed deletion, when reconciled, then the finalizer stays and the status says why', async () => {
    const h = harness();
    h.kafka.failWith = new KafkaAdminError('Kafka refused deleting topic orders: TOPIC_DELETION_DISABLED', 'TOPIC_DELETION_DISABLED', false);
    const kt = aKafkaTopic({ metadata: { finalizers: ['strimzi.io/topic-operator'], deletionTimestamp: new Date() } });

    await applyDecision(kt, [kt], h.deps);

    expect(h.finalizers).toEqual([]);
    expect(h.statuses[0]?.conditions?.[0]).toMatchObject({ reason: 'KafkaError', message: expect.stringContaining('TOPIC_DELETION_DISABLED') as unknown });
  });

  it('given an unmanaged resource holding the finalizer, when reconciled, then it is released and marked Unmanaged without touching Kafka', async () => {
    const h = harness();
    const kt = aKafkaTopic({ metadata: { finalizers: ['strimzi.io/topic-operator'], annotations: { 'strimzi.io/managed': 'false' } } });

    await applyDecision(kt, [kt], h.deps);

    expect(h.kafka.calls).toEqual([]);
    expect(h.finalizers).toEqual(['remove']);
    expect(h.statuses[0]?.conditions?.[0]?.type).toBe('Unmanaged');
  });

  it('given a new KafkaTopic, when reconciled, then the Ready status carries the id Kafka gave the topic', async () => {
    const h = harness();
    const kt = aKafkaTopic();

    await applyDecision(kt, [kt], h.deps);

    expect(h.statuses[0]?.topicId).toBe(h.kafka.topics.get('orders')?.topicId);
    expect(h.statuses[0]?.topicId).toEqual(expect.any(String));
  });

  it('given a Ready topic deleted in Kafka, when the resync recreates it, then the status carries the new id', async () => {
    const h = harness();
    const first = aKafkaTopic();
    await applyDecision(first, [first], h.deps);
    const before = h.statuses[0];
    h.kafka.topics.delete('orders');
    const ready = aKafkaTopic({ metadata: { finalizers: ['strimzi.io/topic-operator'] }, ...(before ? { status: before } : {}) });

    await applyDecision(ready, [ready], h.deps);

    expect(h.kafka.calls.slice(-2)).toEqual(['describe orders', 'create orders']);
    expect(h.statuses[1]?.topicId).toBe(h.kafka.topics.get('orders')?.topicId);
    expect(h.statuses[1]?.topicId).not.toBe(before?.topicId);
  });

  it('given a topic another client created just before ours, when reconciled, then the Ready status still carries its id', async () => {
    const h = harness();
    h.kafka.createdElsewhere = true;
    const kt = aKafkaTopic();

    await applyDecision(kt, [kt], h.deps);

    expect(h.statuses[0]?.conditions?.[0]?.type).toBe('Ready');
    expect(h.statuses[0]?.topicId).toBe(h.kafka.topics.get('orders')?.topicId);
    expect(h.statuses[0]?.topicId).toEqual(expect.any(String));
  });

  it('given an unchanged topic whose status predates ids, when reconciled, then only the id is added', async () => {
    const h = harness();
    h.kafka.topics.set('orders', { name: 'orders', topicId: 'bIf1ySK0TUSvb5x_1XpXqQ', replicasPerPartition: [1, 1, 1], config: {} });
    const kt = aKafkaTopic({ metadata: { finalizers: ['strimzi.io/topic-operator'] }, status: readyStatus('orders') });

    await applyDecision(kt, [kt], h.deps);

    expect(h.kafka.calls).toEqual(['describe orders']);
    expect(h.statuses).toEqual([{ ...readyStatus('orders'), topicId: 'bIf1ySK0TUSvb5x_1XpXqQ' }]);
    expect(h.events).toEqual([]);
  });
});
