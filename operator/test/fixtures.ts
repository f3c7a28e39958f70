import type { KafkaTopic } from '../src/reconcile/kafka-topic.js';

type Metadata = KafkaTopic['metadata'];

/** A parsed KafkaTopic with sensible defaults; the parts a test cares about are passed in. */
export function aKafkaTopic(
  parts: {
    readonly metadata?: Partial<Metadata>;
    readonly spec?: KafkaTopic['spec'];
    readonly status?: KafkaTopic['status'];
  } = {},
): KafkaTopic {
  const name = parts.metadata?.name ?? 'orders';
  return {
    metadata: {
      name,
      namespace: 'msa',
      uid: `uid-${name}`,
      generation: 1,
      creationTimestamp: new Date('2025-01-01T00:00:00Z'),
      labels: { 'strimzi.io/cluster': 'msa-kafka' },
      ...parts.metadata,
    },
    spec: parts.spec ?? { partitions: 3, replicas: 1 },
    ...(parts.status === undefined ? {} : { status: parts.status }),
  };
}

/** A Ready status as the operator writes it. */
export function readyStatus(topicName: string, generation = 1): NonNullable<KafkaTopic['status']> {
  return {
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-01-01T00:00:05Z' }],
    observedGeneration: generation,
    topicName,
  };
}
