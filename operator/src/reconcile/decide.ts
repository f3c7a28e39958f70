import { refusal, type Failure } from './failure.js';
import {
  hasFinalizer,
  isManaged,
  isPaused,
  managedTopicName,
  resourceKey,
  topicNameOf,
  type KafkaTopic,
} from './kafka-topic.js';
import { owningResource } from './ownership.js';
import { desiredTopic, type DesiredTopic } from './plan.js';

/** What to do with one KafkaTopic, decided from Kubernetes state alone (Kafka is read later). */
export type Decision =
  /** Being deleted without this operator's finalizer: nothing left to do. */
  | { readonly kind: 'none' }
  /** Being deleted but not managing the topic: drop the finalizer, leave Kafka alone. */
  | { readonly kind: 'release' }
  /** Being deleted and managing the topic: delete it in Kafka, then drop the finalizer. */
  | { readonly kind: 'deleteTopic'; readonly topicName: string }
  /** `strimzi.io/managed: "false"`: drop the finalizer, mark the resource Unmanaged. */
  | { readonly kind: 'detach' }
  /** Report the failure in the status; Kafka is not touched. */
  | { readonly kind: 'refuse'; readonly failure: Failure }
  /** `strimzi.io/pause-reconciliation: "true"`: mark the resource ReconciliationPaused. */
  | { readonly kind: 'pause' }
  /** Make Kafka match `desired`, holding the resource with the finalizer first. */
  | { readonly kind: 'sync'; readonly desired: DesiredTopic };

/**
 * Decides in Strimzi's order: deletion first (even when paused, so a paused resource can still go),
 * then unmanaged, then a renamed topic, then ownership, then pause, then the spec itself.
 * `all` is every KafkaTopic the operator watches, to find other claimants of the same topic.
 */
export function decide(kt: KafkaTopic, all: readonly KafkaTopic[]): Decision {
  const owner = owningResource(kt, all);
  const owns = owner.metadata.uid === kt.metadata.uid;

  if (kt.metadata.deletionTimestamp !== undefined) {
    if (!hasFinalizer(kt)) return { kind: 'none' };
    if (!isManaged(kt) || !owns) return { kind: 'release' };
    return { kind: 'deleteTopic', topicName: managedTopicName(kt) };
  }
  if (!isManaged(kt)) return { kind: 'detach' };
  if (managedTopicName(kt) !== topicNameOf(kt)) {
    return { kind: 'refuse', failure: refusal('NotSupported', 'Changing spec.topicName is not supported') };
  }
  if (!owns) {
    return { kind: 'refuse', failure: refusal('ResourceConflict', `Managed by KafkaTopic ${resourceKey(owner)}`) };
  }
  if (isPaused(kt)) return { kind: 'pause' };
  const desired = desiredTopic(kt);
  return desired.ok ? { kind: 'sync', desired: desired.desired } : { kind: 'refuse', failure: desired.failure };
}
