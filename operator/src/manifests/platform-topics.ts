import { topicSpecs, type TopicTarget } from '@msa/contracts';
import { CLUSTER_LABEL, KAFKA_TOPIC_API } from '../reconcile/kafka-topic.js';

/** A KafkaTopic manifest, ready to serialize. */
export interface KafkaTopicManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
  };
  readonly spec: {
    readonly topicName: string;
    readonly partitions: number;
    readonly replicas: number;
    readonly config: Readonly<Record<string, string>>;
  };
}

/** Where and for which cluster the platform's topics are rendered. */
export interface PlatformTopicsOptions {
  readonly namespace: string;
  /** Value of the `strimzi.io/cluster` label: the operator's cluster name. */
  readonly clusterName: string;
  readonly target: TopicTarget;
}

/**
 * One KafkaTopic per entry of the contracts' topic catalog, sized for `target`. Topic names come
 * from the catalog only; `spec.topicName` is always set because dead-letter names (`.DLT`) are not
 * valid resource names.
 */
export function platformTopicManifests(options: PlatformTopicsOptions): KafkaTopicManifest[] {
  return topicSpecs(options.target).map((topic) => ({
    apiVersion: `${KAFKA_TOPIC_API.group}/${KAFKA_TOPIC_API.version}`,
    kind: KAFKA_TOPIC_API.kind,
    metadata: {
      name: topic.resourceName,
      namespace: options.namespace,
      labels: { [CLUSTER_LABEL]: options.clusterName },
    },
    spec: {
      topicName: topic.name,
      partitions: topic.partitions,
      replicas: topic.replicas,
      config: topic.config,
    },
  }));
}
