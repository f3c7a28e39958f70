import { isManaged, managedTopicName, resourceKey, type KafkaTopic } from './kafka-topic.js';

/**
 * Which KafkaTopic manages the Kafka topic `kt` claims, among `kt` and the managed resources in `all`
 * claiming the same topic. Strimzi's rule is "the oldest wins"; creation timestamps have one-second
 * resolution, so ties go first to a resource already Ready (it owns the topic today, and moving
 * ownership would flip the topic's config), then by name and uid, so that every replica of the
 * operator picks the same owner.
 */
export function owningResource(kt: KafkaTopic, all: readonly KafkaTopic[]): KafkaTopic {
  const name = managedTopicName(kt);
  let owner = kt;
  for (const other of all) {
    const claims = other.metadata.uid !== kt.metadata.uid && isManaged(other) && managedTopicName(other) === name;
    if (claims && compareClaims(other, owner) < 0) owner = other;
  }
  return owner;
}

function compareClaims(a: KafkaTopic, b: KafkaTopic): number {
  return (
    a.metadata.creationTimestamp.getTime() - b.metadata.creationTimestamp.getTime() ||
    Number(isReady(b)) - Number(isReady(a)) ||
    compareText(resourceKey(a), resourceKey(b)) ||
    compareText(a.metadata.uid, b.metadata.uid)
  );
}

function isReady(kt: KafkaTopic): boolean {
  return kt.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

// Code-unit order, not localeCompare: every replica must agree whatever its locale.
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
