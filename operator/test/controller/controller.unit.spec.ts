import { pino } from 'pino';
import { Controller, type TopicCache } from '../../src/controller/controller.js';
import { resourceKey, type KafkaTopic } from '../../src/reconcile/kafka-topic.js';
import type { TopicChangeHandler } from '../../src/kube/topic-informer.js';
import { createMetrics } from '../../src/metrics.js';
import { aKafkaTopic } from '../fixtures.js';
import { harness } from '../support/fakes.js';

/** An informer stand-in whose changes the test makes. */
class FakeCache implements TopicCache {
  private readonly topics = new Map<string, KafkaTopic>();
  private readonly handlers: TopicChangeHandler[] = [];

  onChange(handler: TopicChangeHandler): void {
    this.handlers.push(handler);
  }
  get(key: string): KafkaTopic | undefined {
    return this.topics.get(key);
  }
  list(): KafkaTopic[] {
    return [...this.topics.values()];
  }
  put(kt: KafkaTopic): void {
    const key = resourceKey(kt);
    const previous = this.topics.get(key);
    this.topics.set(key, kt);
    for (const h of this.handlers) h(key, previous, kt);
  }
  remove(kt: KafkaTopic): void {
    const key = resourceKey(kt);
    this.topics.delete(key);
    for (const h of this.handlers) h(key, kt, undefined);
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

function controllerWith(cache: FakeCache) {
  const h = harness();
  const controller = new Controller(
    cache,
    h.deps,
    createMetrics(),
    { workers: 2, resyncPeriodMs: 60_000, retryBaseMs: 10, retryMaxMs: 100 },
    pino({ level: 'silent' }),
  );
  return { ...h, controller };
}

describe('Controller', () => {
  it('given resources known before leadership, when it starts leading, then each is reconciled', async () => {
    const cache = new FakeCache();
    cache.put(aKafkaTopic({ metadata: { name: 'a' } }));
    cache.put(aKafkaTopic({ metadata: { name: 'b' } }));
    const { controller, kafka } = controllerWith(cache);

    controller.startLeading();
    await settle();
    await controller.close();

    expect(kafka.calls.filter((c) => c.startsWith('create')).sort()).toEqual(['create a', 'create b']);
  });

  it('given a standby, when resources change, then nothing is reconciled', async () => {
    const cache = new FakeCache();
    const { controller, kafka } = controllerWith(cache);

    cache.put(aKafkaTopic({ metadata: { name: 'a' } }));
    await settle();
    await controller.close();

    expect(kafka.calls).toEqual([]);
  });

  it('given a leader, when only the status of a resource changes, then it is not reconciled again', async () => {
    const cache = new FakeCache();
    const { controller, kafka } = controllerWith(cache);
    controller.startLeading();
    const kt = aKafkaTopic({ metadata: { name: 'a' } });
    cache.put(kt);
    await settle();
    const callsAfterCreate = kafka.calls.length;

    cache.put({ ...kt, metadata: { ...kt.metadata, resourceVersion: '2' }, status: { observedGeneration: 1 } });
    await settle();
    await controller.close();

    expect(kafka.calls.length).toBe(callsAfterCreate);
  });

  it('given a conflict, when the owner goes, then the other claimant is reconciled at once and takes the topic', async () => {
    const cache = new FakeCache();
    const { controller, statuses } = controllerWith(cache);
    const owner = aKafkaTopic({ metadata: { name: 'orders', creationTimestamp: new Date('2024-01-01T00:00:00Z') } });
    const other = aKafkaTopic({ metadata: { name: 'orders-copy' }, spec: { topicName: 'orders' } });
    cache.put(owner);
    cache.put(other);
    controller.startLeading();
    await settle();

    cache.remove(owner);
    await settle();
    await controller.close();

    const conditions = statuses.map((s) => s.conditions?.[0]?.reason ?? s.conditions?.[0]?.type);
    expect(conditions).toContain('ResourceConflict');
    expect(conditions.at(-1)).toBe('Ready');
  });

  it('given leadership lost, when resources change afterwards, then nothing is reconciled', async () => {
    const cache = new FakeCache();
    const { controller, kafka } = controllerWith(cache);
    controller.startLeading();
    await controller.stopLeading();

    cache.put(aKafkaTopic({ metadata: { name: 'a' } }));
    await settle();
    await controller.close();

    expect(kafka.calls).toEqual([]);
  });
});
