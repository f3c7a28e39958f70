import { eventForAction, eventForCondition, eventForDeletion } from '../../src/reconcile/events.js';

describe('eventForAction', () => {
  it('given a created topic, when described, then a Normal TopicCreated event tells its shape', () => {
    const event = eventForAction('orders', {
      kind: 'createTopic',
      topic: { name: 'orders', partitions: 3, replicas: 1, config: { 'retention.ms': '1000' } },
    });

    expect(event).toEqual({
      type: 'Normal',
      reason: 'TopicCreated',
      action: 'Create',
      note: 'Created Kafka topic orders (3 partitions, 1 replicas, retention.ms=1000)',
    });
  });

  it('given a topic created with broker defaults, when described, then the defaults are named', () => {
    const event = eventForAction('orders', { kind: 'createTopic', topic: { name: 'orders', config: {} } });

    expect(event.note).toBe('Created Kafka topic orders (default partitions, default replicas)');
  });

  it('given more partitions, when described, then a PartitionsIncreased event tells from and to', () => {
    expect(eventForAction('orders', { kind: 'increasePartitions', from: 3, to: 6 })).toMatchObject({
      reason: 'PartitionsIncreased',
      note: 'Increased partitions of Kafka topic orders from 3 to 6',
    });
  });

  it('given a config change, when described, then a ConfigChanged event lists what was set and unset', () => {
    const event = eventForAction('orders', {
      kind: 'alterConfig',
      config: { 'retention.ms': '1' },
      set: { 'retention.ms': '1' },
      unset: ['segment.bytes'],
    });

    expect(event).toMatchObject({ reason: 'ConfigChanged', note: 'Changed config of Kafka topic orders: set retention.ms=1, unset segment.bytes' });
  });

  it('given a deleted topic, when described, then a TopicDeleted event names it', () => {
    expect(eventForDeletion('orders')).toMatchObject({ type: 'Normal', reason: 'TopicDeleted', action: 'Delete' });
  });
});

describe('eventForCondition', () => {
  const failed = { type: 'Ready', status: 'False', reason: 'KafkaError', message: 'broker unreachable' };

  it('given a new failure, when checked, then a Warning with its reason and message is due', () => {
    expect(eventForCondition({ type: 'Ready', status: 'True' }, failed)).toEqual({
      type: 'Warning',
      reason: 'KafkaError',
      action: 'Reconcile',
      note: 'broker unreachable',
    });
  });

  it('given the same failure again, when checked, then no event is due', () => {
    expect(eventForCondition({ ...failed, lastTransitionTime: 'x' }, failed)).toBeUndefined();
  });

  it('given Ready again, when checked, then no extra event is due (the change events tell what happened)', () => {
    expect(eventForCondition(failed, { type: 'Ready', status: 'True' })).toBeUndefined();
  });

  it('given entering pause or unmanaged, when checked, then a Normal event is due', () => {
    expect(eventForCondition(undefined, { type: 'ReconciliationPaused', status: 'True' })).toMatchObject({ type: 'Normal', reason: 'ReconciliationPaused' });
    expect(eventForCondition(undefined, { type: 'Unmanaged', status: 'True' })).toMatchObject({ type: 'Normal', reason: 'Unmanaged' });
  });
});
