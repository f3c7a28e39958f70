import type { EventType } from './events/index.js';
import {
  type ConsumerGroup,
  type DeadLetterTopicName,
  type EventTopicName,
  type ServiceName,
  deadLetterTopicFor,
  eventTopics,
} from './topics.js';

/**
 * Where the topics are provisioned: a named profile, or an explicit replica count for a cluster of
 * another size. `cluster` is the original design's replication factor 2; `local` is one broker.
 */
export type TopicTarget = { readonly profile: 'cluster' | 'local' } | { readonly replicas: number };

/** A topic to provision, sized for a target; the operator renders one KafkaTopic per entry. */
export type TopicSpec = EventTopicSpec | DeadLetterTopicSpec;

interface TopicSpecBase {
  /** The Kafka topic name (KafkaTopic `spec.topicName`). */
  readonly name: string;
  /**
   * A valid Kubernetes resource name for the KafkaTopic (`metadata.name`): the topic name in lower
   * case, since `.DLT` is not allowed in a resource name.
   */
  readonly resourceName: string;
  readonly partitions: number;
  readonly replicas: number;
  /** Kafka topic configuration; values are strings, as the Kafka admin API reports them. */
  readonly config: Readonly<Record<string, string>>;
}

/** A topic carrying domain events. */
export interface EventTopicSpec extends TopicSpecBase {
  readonly kind: 'event';
  readonly name: EventTopicName;
  readonly eventType: EventType;
  readonly producer: ServiceName;
  readonly consumers: readonly ConsumerGroup[];
  /** Its dead-letter topic, or null when nothing consumes it. */
  readonly deadLetterTopic: DeadLetterTopicName | null;
}

/** A dead-letter topic; it has its source's partition count so a key keeps its partition index. */
export interface DeadLetterTopicSpec extends TopicSpecBase {
  readonly kind: 'dead-letter';
  readonly name: DeadLetterTopicName;
  /** The topic whose unhandled messages land here. */
  readonly source: EventTopicName;
}

const DAY_MS = 86_400_000;

/**
 * Event topics keep a week: the event store in PostgreSQL is the history and read models rebuild
 * from it, so Kafka only has to cover a consumer being down. Dead letters wait for a person to fix
 * the cause and replay them, so they keep four weeks.
 */
const RETENTION_MS = { event: 7 * DAY_MS, 'dead-letter': 28 * DAY_MS } as const;

/**
 * Kafka deletes whole segments, once the newest message in one is older than the retention, so a
 * message stays readable up to `retention.ms` plus `segment.ms` (the broker's default is a week). A
 * day keeps that overshoot small beside either retention, and consumers' inboxes must outlive it:
 * 7 + 1 days for an event and 28 + 1 for its dead letter fit the default six weeks. Each topic is
 * small, so daily segments cost a handful of files per partition.
 */
const SEGMENT_MS = { event: DAY_MS, 'dead-letter': DAY_MS } as const;

const REPLICAS_BY_PROFILE = { cluster: 2, local: 1 } as const;

/**
 * Every topic to provision for `target`: each event topic followed by its dead-letter topic.
 *
 * `min.insync.replicas` is the replica count capped at 2. With the design's two replicas that makes
 * a write wait for both, so a broker outage pauses publishing instead of acknowledging a message only
 * one broker holds: the outbox keeps unpublished events in PostgreSQL and the relay resumes, so
 * pausing costs latency while a lost acknowledged message would cost an event. With three or more
 * replicas, 2 lets publishing survive one broker down; a single local broker can only require 1.
 *
 * @throws RangeError when `replicas` is not a positive integer.
 */
export function topicSpecs(target: TopicTarget): readonly TopicSpec[] {
  const replicas = 'profile' in target ? REPLICAS_BY_PROFILE[target.profile] : target.replicas;
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new RangeError(`replicas must be a positive integer, got ${String(replicas)}`);
  }
  const config = (kind: TopicSpec['kind']): Readonly<Record<string, string>> => ({
    'cleanup.policy': 'delete',
    'retention.ms': String(RETENTION_MS[kind]),
    'segment.ms': String(SEGMENT_MS[kind]),
    'min.insync.replicas': String(Math.min(replicas, 2)),
  });
  return eventTopics.flatMap((t): TopicSpec[] => {
    const consumers: readonly ConsumerGroup[] = t.consumers;
    const deadLetterTopic = consumers.length > 0 ? deadLetterTopicFor(t.name) : null;
    const eventSpec: EventTopicSpec = {
      kind: 'event',
      name: t.name,
      resourceName: t.name,
      eventType: t.eventType,
      producer: t.producer,
      consumers,
      deadLetterTopic,
      partitions: t.partitions,
      replicas,
      config: config('event'),
    };
    if (deadLetterTopic === null) return [eventSpec];
    const deadLetterSpec: DeadLetterTopicSpec = {
      kind: 'dead-letter',
      name: deadLetterTopic,
      resourceName: deadLetterTopic.toLowerCase(),
      source: t.name,
      partitions: t.partitions,
      replicas,
      config: config('dead-letter'),
    };
    return [eventSpec, deadLetterSpec];
  });
}
