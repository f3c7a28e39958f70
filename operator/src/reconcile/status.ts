import { isDeepStrictEqual } from 'node:util';
import type { Failure } from './failure.js';
import { managedTopicName, type Condition, type KafkaTopic, type KafkaTopicStatus } from './kafka-topic.js';

/** How a reconciliation ended, as far as the status is concerned. */
export type Outcome =
  /** In sync; `topicId` is the id Kafka reported for the topic in this reconciliation. */
  | { readonly kind: 'ready'; readonly topicId?: string }
  | { readonly kind: 'failed'; readonly failure: Failure }
  | { readonly kind: 'paused' }
  | { readonly kind: 'unmanaged' };

/**
 * The status to write after a reconciliation, shaped as Strimzi writes it: one condition (`Ready`,
 * `ReconciliationPaused` or `Unmanaged`), `observedGeneration` (held back while paused, so
 * `generation > observedGeneration` keeps telling that a change waits), `topicName` and `topicId`
 * (both dropped once unmanaged). A Ready status carries the id Kafka reported in that
 * reconciliation, so a topic deleted and created again shows its new id; a failure or a pause
 * keeps the id already recorded, since they learn nothing new about which topic it is.
 * `lastTransitionTime` moves only when the condition's type or status does, as Kubernetes
 * conventions ask, so an unchanged outcome yields an identical status.
 */
export function nextStatus(kt: KafkaTopic, outcome: Outcome, now: Date): KafkaTopicStatus {
  const previous = kt.status;
  const condition = withTransitionTime(conditionOf(outcome), previous?.conditions, now);
  const observedGeneration =
    outcome.kind === 'paused' ? (previous?.observedGeneration ?? 0) : (kt.metadata.generation ?? 0);
  if (outcome.kind === 'unmanaged') return { conditions: [condition], observedGeneration };
  const topicId = outcome.kind === 'ready' ? outcome.topicId : previous?.topicId;
  return {
    conditions: [condition],
    observedGeneration,
    topicName: managedTopicName(kt),
    ...(topicId === undefined ? {} : { topicId }),
  };
}

/** Whether writing `next` would change anything, so unchanged resyncs cost no API write. */
export function statusChanged(previous: KafkaTopicStatus | undefined, next: KafkaTopicStatus): boolean {
  return !isDeepStrictEqual(previous, next);
}

/** The single condition of a status, if any: what events and logs report. */
export function conditionOfStatus(status: KafkaTopicStatus | undefined): Condition | undefined {
  return status?.conditions?.[0];
}

function conditionOf(outcome: Outcome): Condition {
  switch (outcome.kind) {
    case 'ready':
      return { type: 'Ready', status: 'True' };
    case 'failed':
      return {
        type: 'Ready',
        status: 'False',
        reason: outcome.failure.reason,
        message: outcome.failure.message,
      };
    case 'paused':
      return { type: 'ReconciliationPaused', status: 'True' };
    case 'unmanaged':
      return { type: 'Unmanaged', status: 'True' };
    default: {
      const unexpected: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(unexpected)}`);
    }
  }
}

function withTransitionTime(condition: Condition, previous: readonly Condition[] | undefined, now: Date): Condition {
  const same = previous?.find((c) => c.type === condition.type && c.status === condition.status);
  return { ...condition, lastTransitionTime: same?.lastTransitionTime ?? formatTime(now) };
}

/** `yyyy-MM-ddTHH:mm:ssZ` in UTC, the format the KafkaTopic CRD documents. */
function formatTime(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
