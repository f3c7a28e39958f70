import {
  type ConsumerGroup,
  type ServiceName,
  consumerGroups,
  deadLetterTopicFor,
  eventTopics,
  topicSpecs,
  topicsConsumedBy,
} from '../src/index.js';

const services: readonly ServiceName[] = ['user', 'product', 'order', 'payment', 'inventory', 'notification'];
// {domain}.{entity}.{action}; the action is a past participle (events are facts), optionally
// preceded by what it concerns, as in `release.requested`.
const topicName = /^(?<domain>[a-z]+)\.(?<entity>[a-z]+)\.(?<action>(?:[a-z]+\.)?[a-z]+ed)$/;
// Kubernetes resource names (DNS-1123 subdomain).
const resourceName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

describe('topic catalog', () => {
  it('given the catalog, when listed, then it holds the original design topics and the ones it adds', () => {
    expect(eventTopics.map((t) => t.name)).toEqual([
      'user.profile.created',
      'user.profile.updated',
      'user.credentials.changed',
      'user.password.reset.requested',
      'product.catalog.created',
      'product.catalog.updated',
      'product.category.created',
      'product.category.renamed',
      'order.lifecycle.created',
      'order.lifecycle.confirmed',
      'order.lifecycle.cancelled',
      'order.lifecycle.completed',
      'payment.transaction.initiated',
      'payment.transaction.completed',
      'payment.transaction.failed',
      'payment.transaction.refunded',
      'inventory.stock.reserved',
      'inventory.stock.released',
      'inventory.stock.committed',
      'inventory.stock.received',
      'inventory.stock.depleted',
      'inventory.stock.release.requested',
      'payment.refund.requested',
      'notification.email.requested',
      'notification.sms.requested',
      'notification.push.requested',
    ]);
  });

  it.each(eventTopics.map((t) => [t.name]))(
    'given %s, when checked against the naming rule, then it is {domain}.{entity}.{action} with a known domain',
    (name) => {
      const match = topicName.exec(name);

      expect(match?.groups?.domain).toBeDefined();
      expect(services).toContain(match?.groups?.domain);
    },
  );

  it('given the catalog, when sized, then orders have 5 partitions, notifications 2 and the rest 3', () => {
    const expected = (name: string): number =>
      name.startsWith('order.') ? 5 : name.startsWith('notification.') ? 2 : 3;

    for (const t of eventTopics) expect([t.name, t.partitions]).toEqual([t.name, expected(t.name)]);
  });

  it('given every consumer group, when its topics are listed, then it consumes at least one', () => {
    for (const group of Object.keys(consumerGroups) as ConsumerGroup[]) {
      expect([group, topicsConsumedBy(group).length > 0]).toEqual([group, true]);
    }
  });

  it('given the order saga, when its topics are listed, then they are reservation, release, payment and refund outcomes', () => {
    expect(topicsConsumedBy('order.saga')).toEqual([
      'payment.transaction.completed',
      'payment.transaction.failed',
      'payment.transaction.refunded',
      'inventory.stock.reserved',
      'inventory.stock.released',
    ]);
  });
});

describe('topicSpecs', () => {
  it('given the cluster profile, when provisioned, then every topic has 2 replicas and needs 2 in sync', () => {
    const specs = topicSpecs({ profile: 'cluster' });

    expect(new Set(specs.map((s) => s.replicas))).toEqual(new Set([2]));
    expect(new Set(specs.map((s) => s.config['min.insync.replicas']))).toEqual(new Set(['2']));
  });

  it('given the local profile, when provisioned, then every topic has 1 replica and needs 1 in sync', () => {
    const specs = topicSpecs({ profile: 'local' });

    expect(new Set(specs.map((s) => s.replicas))).toEqual(new Set([1]));
    expect(new Set(specs.map((s) => s.config['min.insync.replicas']))).toEqual(new Set(['1']));
  });

  it('given three replicas, when provisioned, then two in sync suffice so one broker may be down', () => {
    const specs = topicSpecs({ replicas: 3 });

    expect(new Set(specs.map((s) => s.config['min.insync.replicas']))).toEqual(new Set(['2']));
  });

  it.each([0, -1, 1.5, Number.NaN])('given %p replicas, when provisioned, then it is rejected', (replicas) => {
    expect(() => topicSpecs({ replicas })).toThrow(RangeError);
  });

  it('given every consumed topic, when provisioned, then its <topic>.DLT exists with the same partitions', () => {
    const specs = topicSpecs({ profile: 'cluster' });
    const byName = new Map(specs.map((s) => [s.name, s]));

    for (const t of eventTopics.filter((e) => e.consumers.length > 0)) {
      const dlt = byName.get(deadLetterTopicFor(t.name));
      expect(dlt).toMatchObject({ kind: 'dead-letter', source: t.name, partitions: t.partitions });
    }
  });

  it('given the provisioned list, when counted, then it is the event topics plus one DLT per consumed topic', () => {
    const specs = topicSpecs({ profile: 'local' });
    const consumed = eventTopics.filter((t) => t.consumers.length > 0).length;

    expect(specs.filter((s) => s.kind === 'event')).toHaveLength(eventTopics.length);
    expect(specs.filter((s) => s.kind === 'dead-letter')).toHaveLength(consumed);
  });

  it('given every dead-letter topic, when named, then it is its source name plus .DLT and is never consumed', () => {
    for (const spec of topicSpecs({ profile: 'local' })) {
      if (spec.kind === 'dead-letter') expect(spec.name).toBe(`${spec.source}.DLT`);
      else expect(spec.name.endsWith('.DLT')).toBe(false);
    }
  });

  it('given the provisioned list, when rendered as KafkaTopic resources, then names are valid and unique', () => {
    const specs = topicSpecs({ profile: 'cluster' });

    for (const s of specs) {
      expect([s.resourceName, resourceName.test(s.resourceName)]).toEqual([s.resourceName, true]);
    }
    expect(new Set(specs.map((s) => s.resourceName)).size).toBe(specs.length);
    expect(new Set(specs.map((s) => s.name)).size).toBe(specs.length);
  });

  it('given the provisioned list, when configured, then dead letters outlive events', () => {
    const specs = topicSpecs({ profile: 'cluster' });
    const retention = (kind: string): Set<string | undefined> =>
      new Set(specs.filter((s) => s.kind === kind).map((s) => s.config['retention.ms']));

    expect(retention('event')).toEqual(new Set([String(7 * 86_400_000)]));
    expect(retention('dead-letter')).toEqual(new Set([String(28 * 86_400_000)]));
  });

  it('given the provisioned list, when configured, then each topic rolls its segments daily, so a message outlives its retention by a day at most', () => {
    const specs = topicSpecs({ profile: 'cluster' });

    expect(new Set(specs.map((s) => s.config['segment.ms']))).toEqual(new Set([String(86_400_000)]));
  });

  it('given an event and its dead letter, when kept as long as Kafka may, then both fit in the consumers’ default six-week inbox retention', () => {
    const specs = topicSpecs({ profile: 'cluster' });
    // Kafka deletes whole segments: a message stays readable up to retention.ms plus segment.ms.
    const keptMs = (kind: string): number =>
      Math.max(...specs.filter((s) => s.kind === kind).map((s) => Number(s.config['retention.ms']) + Number(s.config['segment.ms'])));

    expect(keptMs('event') + keptMs('dead-letter')).toBeLessThan(42 * 86_400_000);
  });
});
