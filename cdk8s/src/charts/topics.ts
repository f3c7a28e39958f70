import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { platformTopicManifests } from '@msa/operator';
import { KafkaTopic } from '../../imports/kafkatopic-kafka.strimzi.io.js';
import { KAFKA_CLUSTER } from '../programs.js';
import type { Profile } from '../profiles.js';

export interface TopicsChartProps {
  readonly namespace: string;
  readonly profile: Profile;
}

/**
 * One KafkaTopic per entry of the contracts' catalog, as the operator renders them for
 * `local/up` (`platformTopicManifests`), sized for the profile's brokers. The operator in the
 * namespace reconciles them; nothing here names a topic.
 */
export class TopicsChart extends Chart {
  constructor(scope: Construct, id: string, { namespace, profile }: TopicsChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    for (const topic of platformTopicManifests({ namespace, clusterName: KAFKA_CLUSTER, target: profile.topicTarget })) {
      new KafkaTopic(this, topic.metadata.name, {
        metadata: { name: topic.metadata.name, namespace, labels: { ...topic.metadata.labels } },
        spec: { ...topic.spec, config: { ...topic.spec.config } },
      });
    }
  }
}
