import { topicSpecs } from '@msa/contracts';
import { field, list, ofKind, record, synthesized } from './support/manifests.js';

describe.each(Object.values(synthesized))('the $profile.name profile', ({ profile, manifests }) => {
  const topics = ofKind(manifests, 'KafkaTopic');

  it('given the catalog, then every topic has exactly one KafkaTopic of its size for the operator`s cluster, and there are no others', () => {
    const catalog = topicSpecs(profile.topicTarget);
    for (const topic of catalog) {
      const matching = topics.filter((t) => field(t, 'spec', 'topicName') === topic.name);
      expect({ topic: topic.name, count: matching.length }).toEqual({ topic: topic.name, count: 1 });
      expect(matching[0]).toMatchObject({
        metadata: { name: topic.resourceName, labels: { 'strimzi.io/cluster': 'msa-kafka' } },
        spec: { partitions: topic.partitions, replicas: topic.replicas, config: topic.config },
      });
    }
    expect(topics).toHaveLength(catalog.length);
  });

  it('given the topics` replicas, then the profile runs as many brokers at least', () => {
    for (const topic of topics) expect(Number(field(topic, 'spec', 'replicas'))).toBeLessThanOrEqual(profile.kafkaReplicas);
  });
});

describe('the kind profile`s Strimzi cluster', () => {
  const { manifests } = synthesized.kind;
  const [kafka] = ofKind(manifests, 'Kafka');

  it('given the Kafka resource, then it runs KRaft on node pools, with no topic operator of Strimzi`s beside ours', () => {
    expect(record(kafka, 'metadata', 'annotations')).toEqual({ 'strimzi.io/kraft': 'enabled', 'strimzi.io/node-pools': 'enabled' });
    expect(Object.keys(record(kafka, 'spec', 'entityOperator'))).toEqual(['userOperator']);
    expect(field(kafka, 'spec', 'zookeeper')).toBeUndefined();
  });

  it('given the node pool, then its nodes are controllers and brokers of that cluster', () => {
    const pools = ofKind(manifests, 'KafkaNodePool');
    expect(pools).toHaveLength(1);
    expect(field(pools[0], 'metadata', 'labels', 'strimzi.io/cluster')).toBe(field(kafka, 'metadata', 'name'));
    expect(list(pools[0], 'spec', 'roles').sort()).toEqual(['broker', 'controller']);
  });
});
