import { topicSpecs } from '@msa/contracts';
import { platformTopicManifests } from '../../src/manifests/platform-topics.js';

describe('platformTopicManifests', () => {
  it('given the catalog, when rendered for local, then there is one KafkaTopic per catalog entry', () => {
    const manifests = platformTopicManifests({ namespace: 'msa', clusterName: 'msa-kafka', target: { profile: 'local' } });

    expect(manifests.map((m) => m.spec.topicName)).toEqual(topicSpecs({ profile: 'local' }).map((t) => t.name));
  });

  it('given a dead-letter topic, when rendered, then the resource name is valid and spec.topicName keeps the real name', () => {
    const manifests = platformTopicManifests({ namespace: 'msa', clusterName: 'msa-kafka', target: { profile: 'local' } });

    const dlt = manifests.find((m) => m.spec.topicName.endsWith('.DLT'));

    expect(dlt?.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    expect(dlt?.metadata.name).toBe(dlt?.spec.topicName.toLowerCase());
  });

  it('given a namespace, a cluster and a replica count, when rendered, then every manifest carries them', () => {
    const manifests = platformTopicManifests({ namespace: 'shop', clusterName: 'prod-kafka', target: { replicas: 3 } });

    for (const m of manifests) {
      expect(m).toMatchObject({
        apiVersion: 'kafka.strimzi.io/v1',
        kind: 'KafkaTopic',
        metadata: { namespace: 'shop', labels: { 'strimzi.io/cluster': 'prod-kafka' } },
        spec: { replicas: 3 },
      });
    }
  });
});
