import type { CustomObjectsApi, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { FINALIZER, KAFKA_TOPIC_API, type KafkaTopic, type KafkaTopicStatus } from '../reconcile/kafka-topic.js';
import { isNotFound } from './api-errors.js';

/** The writes `applyDecision` makes to KafkaTopics. */
export interface KafkaTopicWriter {
  /** Replaces `status` through the status subresource; a resource already gone is ignored. */
  writeStatus(kt: KafkaTopic, status: KafkaTopicStatus): Promise<void>;
  /** Adds this operator's finalizer, provided the resource has not changed since `kt` was read. */
  addFinalizer(kt: KafkaTopic): Promise<void>;
  /** Removes this operator's finalizer, provided the resource has not changed since `kt` was read. */
  removeFinalizer(kt: KafkaTopic): Promise<void>;
}

const { group, version, plural } = KAFKA_TOPIC_API;

/** Lists the KafkaTopics of one namespace carrying `labelSelector`: the informer's list call. */
export function listKafkaTopics(
  api: CustomObjectsApi,
  namespace: string,
  labelSelector: string,
): () => Promise<KubernetesListObject<KubernetesObject>> {
  return async () =>
    (await api.listNamespacedCustomObject({ group, version, namespace, plural, labelSelector })) as KubernetesListObject<KubernetesObject>;
}

/**
 * A {@link KafkaTopicWriter} on the custom objects API. Finalizer changes are JSON Patches guarded
 * by a `test` of the resourceVersion, so a concurrent edit of the finalizer list (by kubectl or
 * another controller) is never overwritten: the patch fails with 422 and the key is retried.
 */
export function kafkaTopicWriter(api: CustomObjectsApi): KafkaTopicWriter {
  async function patchFinalizers(kt: KafkaTopic, finalizers: string[]): Promise<void> {
    const { name, namespace, resourceVersion } = kt.metadata;
    try {
      await api.patchNamespacedCustomObject({
        group,
        version,
        namespace,
        plural,
        name,
        body: [
          { op: 'test', path: '/metadata/resourceVersion', value: resourceVersion },
          { op: 'add', path: '/metadata/finalizers', value: finalizers },
        ],
      });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  return {
    async writeStatus(kt, status) {
      const { name, namespace } = kt.metadata;
      try {
        await api.patchNamespacedCustomObjectStatus({
          group,
          version,
          namespace,
          plural,
          name,
          body: [{ op: 'add', path: '/status', value: status }],
        });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
    addFinalizer: (kt) => patchFinalizers(kt, [...(kt.metadata.finalizers ?? []), FINALIZER]),
    removeFinalizer: (kt) => patchFinalizers(kt, (kt.metadata.finalizers ?? []).filter((f) => f !== FINALIZER)),
  };
}
