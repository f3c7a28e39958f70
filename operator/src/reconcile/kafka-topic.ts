import { z } from 'zod';

/** API group, version and plural of Strimzi's KafkaTopic custom resource. */
export const KAFKA_TOPIC_API = {
  group: 'kafka.strimzi.io',
  version: 'v1',
  plural: 'kafkatopics',
  kind: 'KafkaTopic',
} as const;

/** Label that binds a KafkaTopic to one Kafka cluster; the operator watches only its own value. */
export const CLUSTER_LABEL = 'strimzi.io/cluster';
/** Finalizer that holds a managed KafkaTopic until its Kafka topic is deleted. */
export const FINALIZER = 'strimzi.io/topic-operator';
/** Annotation; `"false"` detaches the resource from its Kafka topic without deleting the topic. */
const MANAGED_ANNOTATION = 'strimzi.io/managed';
/** Annotation; `"true"` stops reconciliation until it is removed or set to anything else. */
const PAUSE_ANNOTATION = 'strimzi.io/pause-reconciliation';

const conditionSchema = z.object({
  type: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastTransitionTime: z.string().optional(),
});

/** One entry of `status.conditions`, as Strimzi writes it. */
export type Condition = z.infer<typeof conditionSchema>;

const statusSchema = z.object({
  conditions: z.array(conditionSchema).optional(),
  observedGeneration: z.number().int().optional(),
  topicName: z.string().optional(),
  topicId: z.string().optional(),
});

/** `status` of a KafkaTopic. */
export type KafkaTopicStatus = z.infer<typeof statusSchema>;

/**
 * The parts of a KafkaTopic the operator reads. `spec.config` stays `unknown` per value here, since
 * Strimzi accepts strings, numbers, booleans and lists there; {@link normalizeTopicConfig} decides.
 */
export const kafkaTopicSchema = z.object({
  metadata: z.object({
    name: z.string().min(1),
    namespace: z.string().min(1),
    uid: z.string().min(1),
    resourceVersion: z.string().optional(),
    generation: z.number().int().optional(),
    creationTimestamp: z.coerce.date(),
    deletionTimestamp: z.coerce.date().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
    finalizers: z.array(z.string()).optional(),
  }),
  spec: z
    .object({
      topicName: z.string().min(1).optional(),
      partitions: z.number().int().min(1).optional(),
      replicas: z.number().int().min(1).max(32767).optional(),
      config: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  status: statusSchema.optional(),
});

/** A KafkaTopic resource after validation at the Kubernetes edge. */
export type KafkaTopic = z.infer<typeof kafkaTopicSchema>;

/** The Kafka topic a resource claims: `spec.topicName`, else the resource name. */
export function topicNameOf(kt: KafkaTopic): string {
  return kt.spec?.topicName ?? kt.metadata.name;
}

/**
 * The Kafka topic a resource manages: the name it recorded in its status once reconciled (renames
 * are refused, so that one stays authoritative), else the one it claims.
 */
export function managedTopicName(kt: KafkaTopic): string {
  return kt.status?.topicName ?? topicNameOf(kt);
}

/** False only when `strimzi.io/managed` is `"false"`, as in Strimzi. */
export function isManaged(kt: KafkaTopic): boolean {
  return kt.metadata.annotations?.[MANAGED_ANNOTATION] !== 'false';
}

/** True only when `strimzi.io/pause-reconciliation` is `"true"`, as in Strimzi. */
export function isPaused(kt: KafkaTopic): boolean {
  return kt.metadata.annotations?.[PAUSE_ANNOTATION] === 'true';
}

/** Whether the resource carries this operator's finalizer. */
export function hasFinalizer(kt: KafkaTopic): boolean {
  return kt.metadata.finalizers?.includes(FINALIZER) ?? false;
}

/** `namespace/name`: the key the work queue and the informer cache agree on. */
export function resourceKey(kt: Pick<KafkaTopic, 'metadata'>): string {
  return `${kt.metadata.namespace}/${kt.metadata.name}`;
}
