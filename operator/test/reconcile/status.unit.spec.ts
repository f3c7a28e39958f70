import { refusal } from '../../src/reconcile/failure.js';
import { nextStatus, statusChanged } from '../../src/reconcile/status.js';
import { aKafkaTopic, readyStatus } from '../fixtures.js';

const now = new Date('2025-02-03T04:05:06.789Z');

describe('nextStatus', () => {
  it('given a first successful reconciliation, when computed, then Ready is True with generation and topic name', () => {
    const kt = aKafkaTopic({ metadata: { generation: 4 } });

    expect(nextStatus(kt, { kind: 'ready' }, now)).toEqual({
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-02-03T04:05:06Z' }],
      observedGeneration: 4,
      topicName: 'orders',
    });
  });

  it('given an unchanged outcome, when computed, then the status is identical and needs no write', () => {
    const kt = aKafkaTopic({ status: readyStatus('orders') });

    const next = nextStatus(kt, { kind: 'ready' }, now);

    expect(next.conditions?.[0]?.lastTransitionTime).toBe('2025-01-01T00:00:05Z');
    expect(statusChanged(kt.status, next)).toBe(false);
  });

  it('given a failure after Ready, when computed, then Ready turns False with reason, message and a new transition time', () => {
    const kt = aKafkaTopic({ metadata: { generation: 2 }, status: readyStatus('orders') });

    const next = nextStatus(kt, { kind: 'failed', failure: refusal('NotSupported', 'Decreasing partitions not supported') }, now);

    expect(next.conditions).toEqual([
      {
        type: 'Ready',
        status: 'False',
        reason: 'NotSupported',
        message: 'Decreasing partitions not supported',
        lastTransitionTime: '2025-02-03T04:05:06Z',
      },
    ]);
    expect(next.observedGeneration).toBe(2);
    expect(statusChanged(kt.status, next)).toBe(true);
  });

  it('given a different failure while already failing, when computed, then the message changes but the transition time stays', () => {
    const failing = nextStatus(aKafkaTopic(), { kind: 'failed', failure: refusal('KafkaError', 'first') }, new Date(0));
    const kt = aKafkaTopic({ status: failing });

    const next = nextStatus(kt, { kind: 'failed', failure: refusal('KafkaError', 'second') }, now);

    expect(next.conditions?.[0]).toMatchObject({ message: 'second', lastTransitionTime: '1970-01-01T00:00:00Z' });
  });

  it('given a paused resource whose spec changed, when computed, then observedGeneration stays behind', () => {
    const kt = aKafkaTopic({ metadata: { generation: 5 }, status: readyStatus('orders', 3) });

    const next = nextStatus(kt, { kind: 'paused' }, now);

    expect(next).toEqual({
      conditions: [{ type: 'ReconciliationPaused', status: 'True', lastTransitionTime: '2025-02-03T04:05:06Z' }],
      observedGeneration: 3,
      topicName: 'orders',
    });
  });

  it('given a resource created paused, when computed, then observedGeneration is 0', () => {
    expect(nextStatus(aKafkaTopic(), { kind: 'paused' }, now).observedGeneration).toBe(0);
  });

  it('given an unmanaged resource, when computed, then the condition is Unmanaged and the topic name is dropped', () => {
    const kt = aKafkaTopic({ metadata: { generation: 7 }, status: readyStatus('orders') });

    expect(nextStatus(kt, { kind: 'unmanaged' }, now)).toEqual({
      conditions: [{ type: 'Unmanaged', status: 'True', lastTransitionTime: '2025-02-03T04:05:06Z' }],
      observedGeneration: 7,
    });
  });

  it('given a renamed spec.topicName, when computed, then the status keeps the topic actually managed', () => {
    const kt = aKafkaTopic({ spec: { topicName: 'other' }, status: readyStatus('orders') });

    const next = nextStatus(kt, { kind: 'failed', failure: refusal('NotSupported', 'rename') }, now);

    expect(next.topicName).toBe('orders');
  });
});

describe('nextStatus and status.topicId', () => {
  const withId = (topicId: string) => ({ ...readyStatus('orders'), topicId });

  it('given a Ready outcome with the id Kafka reported, when computed, then the status carries it after the topic name', () => {
    const next = nextStatus(aKafkaTopic(), { kind: 'ready', topicId: 'bIf1ySK0TUSvb5x_1XpXqQ' }, now);

    expect(next).toEqual({
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-02-03T04:05:06Z' }],
      observedGeneration: 1,
      topicName: 'orders',
      topicId: 'bIf1ySK0TUSvb5x_1XpXqQ',
    });
  });

  it('given a Ready topic with the same id again, when computed, then the status is identical and needs no write', () => {
    const kt = aKafkaTopic({ status: withId('bIf1ySK0TUSvb5x_1XpXqQ') });

    expect(statusChanged(kt.status, nextStatus(kt, { kind: 'ready', topicId: 'bIf1ySK0TUSvb5x_1XpXqQ' }, now))).toBe(false);
  });

  it('given a topic deleted and created again, when computed, then the status takes the new id and stays Ready since its first transition', () => {
    const kt = aKafkaTopic({ status: withId('bIf1ySK0TUSvb5x_1XpXqQ') });

    const next = nextStatus(kt, { kind: 'ready', topicId: 'cu3pNZ1PR2qvVlTgiiX6Sg' }, now);

    expect(next.topicId).toBe('cu3pNZ1PR2qvVlTgiiX6Sg');
    expect(next.conditions?.[0]?.lastTransitionTime).toBe('2025-01-01T00:00:05Z');
    expect(statusChanged(kt.status, next)).toBe(true);
  });

  it('given a status written before ids, when Ready with an id, then the id is added', () => {
    const kt = aKafkaTopic({ status: readyStatus('orders') });

    const next = nextStatus(kt, { kind: 'ready', topicId: 'bIf1ySK0TUSvb5x_1XpXqQ' }, now);

    expect(next.topicId).toBe('bIf1ySK0TUSvb5x_1XpXqQ');
    expect(statusChanged(kt.status, next)).toBe(true);
  });

  it('given a recorded id, when the topic is recreated by someone else meanwhile (Ready without an id), then the stale id goes until the next pass reads the new one', () => {
    const kt = aKafkaTopic({ status: withId('bIf1ySK0TUSvb5x_1XpXqQ') });

    const raced = nextStatus(kt, { kind: 'ready' }, now);
    const next = nextStatus({ ...kt, status: raced }, { kind: 'ready', topicId: 'cu3pNZ1PR2qvVlTgiiX6Sg' }, now);

    expect(raced).not.toHaveProperty('topicId');
    expect(next.topicId).toBe('cu3pNZ1PR2qvVlTgiiX6Sg');
  });

  it('given a recorded id, when a failure or a pause follows, then the id stays, and once unmanaged it goes with the topic name', () => {
    const kt = aKafkaTopic({ metadata: { generation: 2 }, status: withId('bIf1ySK0TUSvb5x_1XpXqQ') });

    expect(nextStatus(kt, { kind: 'failed', failure: refusal('KafkaError', 'Kafka unreachable') }, now).topicId).toBe('bIf1ySK0TUSvb5x_1XpXqQ');
    expect(nextStatus(kt, { kind: 'paused' }, now).topicId).toBe('bIf1ySK0TUSvb5x_1XpXqQ');
    expect(nextStatus(kt, { kind: 'unmanaged' }, now)).not.toHaveProperty('topicId');
  });
});
