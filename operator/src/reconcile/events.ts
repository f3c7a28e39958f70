import type { Condition } from './kafka-topic.js';
import type { TopicAction } from './plan.js';

/** A Kubernetes Event about one KafkaTopic, before it is addressed and timed. */
export interface TopicEvent {
  readonly type: 'Normal' | 'Warning';
  /** CamelCase, machine-readable. */
  readonly reason: string;
  /** What the operator did or tried: Create, Update, Delete, Reconcile. */
  readonly action: string;
  /** Human-readable. */
  readonly note: string;
}

/** The Event that records one change made in Kafka. */
export function eventForAction(topicName: string, action: TopicAction): TopicEvent {
  switch (action.kind) {
    case 'createTopic': {
      const { partitions, replicas, config } = action.topic;
      const shape = [
        `${partitions ?? 'default'} partitions`,
        `${replicas ?? 'default'} replicas`,
        ...Object.entries(config).map(([k, v]) => `${k}=${v}`),
      ];
      return normal('TopicCreated', 'Create', `Created Kafka topic ${topicName} (${shape.join(', ')})`);
    }
    case 'increasePartitions':
      return normal(
        'PartitionsIncreased',
        'Update',
        `Increased partitions of Kafka topic ${topicName} from ${action.from} to ${action.to}`,
      );
    case 'alterConfig': {
      const changes = [
        ...Object.entries(action.set).map(([k, v]) => `set ${k}=${v}`),
        ...action.unset.map((k) => `unset ${k}`),
      ];
      return normal('ConfigChanged', 'Update', `Changed config of Kafka topic ${topicName}: ${changes.join(', ')}`);
    }
    default: {
      const unexpected: never = action;
      throw new Error(`unknown action ${JSON.stringify(unexpected)}`);
    }
  }
}

/** The Event that records the deletion of a Kafka topic. */
export function eventForDeletion(topicName: string): TopicEvent {
  return normal('TopicDeleted', 'Delete', `Deleted Kafka topic ${topicName}`);
}

/**
 * The Event, if any, that a change of condition deserves: a Warning for each new failure (a retry
 * failing the same way again stays quiet, so an outage does not flood the Event store), and a
 * Normal event on entering pause or unmanaged.
 */
export function eventForCondition(previous: Condition | undefined, next: Condition): TopicEvent | undefined {
  const same =
    previous?.type === next.type &&
    previous.status === next.status &&
    previous.reason === next.reason &&
    previous.message === next.message;
  if (same) return undefined;
  if (next.type === 'Ready' && next.status === 'False') {
    return { type: 'Warning', reason: next.reason ?? 'ReconciliationFailed', action: 'Reconcile', note: next.message ?? '' };
  }
  if (next.type === 'ReconciliationPaused') {
    return normal('ReconciliationPaused', 'Reconcile', 'Reconciliation paused by strimzi.io/pause-reconciliation');
  }
  if (next.type === 'Unmanaged') {
    return normal('Unmanaged', 'Reconcile', 'No longer managed (strimzi.io/managed is "false"); the Kafka topic is kept');
  }
  return undefined;
}

function normal(reason: string, action: string, note: string): TopicEvent {
  return { type: 'Normal', reason, action, note };
}
