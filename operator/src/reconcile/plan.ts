import { refusal, type Failure } from './failure.js';
import { topicNameOf, type KafkaTopic } from './kafka-topic.js';
import { normalizeTopicConfig, type TopicConfig } from './topic-config.js';

/** What a KafkaTopic asks for. Absent partitions / replicas mean "the broker's default". */
export interface DesiredTopic {
  readonly name: string;
  readonly partitions?: number;
  readonly replicas?: number;
  readonly config: TopicConfig;
}

/** One config entry of a topic as Kafka describes it. */
export interface ActualConfigEntry {
  readonly value: string | null;
  /** True when the value is a topic-level override (source DYNAMIC_TOPIC_CONFIG), not a default. */
  readonly isTopicOverride: boolean;
}

/** A topic as Kafka describes it. */
export interface ActualTopic {
  readonly name: string;
  /**
   * Kafka's id of the topic, as Kafka writes it: a topic deleted and created again under the same
   * name has a new one. Absent from clusters that predate topic ids (Kafka before 2.8).
   */
  readonly topicId?: string;
  /** Replica count of each partition, indexed by partition id. */
  readonly replicasPerPartition: readonly number[];
  readonly config: Readonly<Record<string, ActualConfigEntry>>;
}

/** A change to make in Kafka. */
export type TopicAction =
  | { readonly kind: 'createTopic'; readonly topic: DesiredTopic }
  | { readonly kind: 'increasePartitions'; readonly from: number; readonly to: number }
  | {
      readonly kind: 'alterConfig';
      /** The topic's complete set of overrides after the change: exactly what the spec sets. */
      readonly config: TopicConfig;
      /** Keys whose value changes (or appears), with the new value. */
      readonly set: TopicConfig;
      /** Overrides present in Kafka that the spec does not set, to return to the broker default. */
      readonly unset: readonly string[];
    };

/** Either the changes to make (none when in sync) or why nothing may be changed. */
export type TopicPlan =
  | { readonly ok: true; readonly actions: readonly TopicAction[] }
  | { readonly ok: false; readonly failure: Failure };

/** Reads what a KafkaTopic asks for, or an `InvalidResource` failure when its config is malformed. */
export function desiredTopic(
  kt: KafkaTopic,
): { readonly ok: true; readonly desired: DesiredTopic } | { readonly ok: false; readonly failure: Failure } {
  const normalized = normalizeTopicConfig(kt.spec?.config);
  if (!normalized.ok) return normalized;
  const { partitions, replicas } = kt.spec ?? {};
  return {
    ok: true,
    desired: {
      name: topicNameOf(kt),
      ...(partitions === undefined ? {} : { partitions }),
      ...(replicas === undefined ? {} : { replicas }),
      config: normalized.config,
    },
  };
}

/**
 * Diffs desired against actual. A missing topic is created. An existing one gets its partitions
 * raised and its overrides made equal to the spec: values the spec sets are written where Kafka
 * differs (drift included), and overrides the spec does not set are removed, as Strimzi's
 * unidirectional operator does, since the KafkaTopic is the single source of a topic's overrides.
 * A partition decrease or a replication-factor change is refused as a whole, so a refused resource
 * never leaves Kafka half-changed.
 */
export function planTopic(desired: DesiredTopic, actual: ActualTopic | undefined): TopicPlan {
  if (actual === undefined) return { ok: true, actions: [{ kind: 'createTopic', topic: desired }] };

  const current = actual.replicasPerPartition.length;
  if (desired.partitions !== undefined && desired.partitions < current) {
    return {
      ok: false,
      failure: refusal(
        'NotSupported',
        `Decreasing partitions not supported: spec.partitions is ${desired.partitions}, the topic has ${current}`,
      ),
    };
  }
  const { replicas } = desired;
  if (replicas !== undefined) {
    const differing = actual.replicasPerPartition.flatMap((count, id) => (count === replicas ? [] : [id]));
    if (differing.length > 0) {
      return {
        ok: false,
        failure: refusal(
          'NotSupported',
          `Replication factor change not supported, but required for partitions [${differing.join(', ')}]`,
        ),
      };
    }
  }

  const actions: TopicAction[] = [];
  const alter = configChange(desired.config, actual.config);
  if (alter) actions.push(alter);
  if (desired.partitions !== undefined && desired.partitions > current) {
    actions.push({ kind: 'increasePartitions', from: current, to: desired.partitions });
  }
  return { ok: true, actions };
}

function configChange(
  desired: TopicConfig,
  actual: Readonly<Record<string, ActualConfigEntry>>,
): TopicAction | undefined {
  const set = Object.fromEntries(Object.entries(desired).filter(([key, value]) => actual[key]?.value !== value));
  const unset = Object.entries(actual)
    .filter(([key, entry]) => entry.isTopicOverride && !Object.hasOwn(desired, key))
    .map(([key]) => key)
    .sort();
  if (Object.keys(set).length === 0 && unset.length === 0) return undefined;
  return { kind: 'alterConfig', config: desired, set, unset };
}
