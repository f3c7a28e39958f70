import type { Logger } from 'pino';
import { decide } from '../reconcile/decide.js';
import { eventForAction, eventForCondition, eventForDeletion } from '../reconcile/events.js';
import type { Failure } from '../reconcile/failure.js';
import { hasFinalizer, resourceKey, type KafkaTopic } from '../reconcile/kafka-topic.js';
import { planTopic, type DesiredTopic, type TopicAction } from '../reconcile/plan.js';
import { conditionOfStatus, nextStatus, statusChanged, type Outcome } from '../reconcile/status.js';
import { KafkaAdminError } from '../kafka/errors.js';
import type { TopicAdmin } from '../kafka/topic-admin.js';
import { describeApiError, isConflict } from '../kube/api-errors.js';
import type { EventRecorder } from '../kube/event-recorder.js';
import type { KafkaTopicWriter } from '../kube/kafka-topics-api.js';

/** The collaborators of {@link applyDecision}. */
export interface ApplyDeps {
  readonly topics: TopicAdmin;
  readonly kube: KafkaTopicWriter;
  readonly events: EventRecorder;
  readonly clock: () => Date;
  readonly logger: Logger;
}

/** Whether the key is settled until its next change or resync, or should come back after a backoff. */
export interface ApplyResult {
  readonly retry: boolean;
  /** Set when the reconciliation ended Ready=False. */
  readonly failure?: Failure;
}

/**
 * Applies the pure core's decisions to one KafkaTopic: asks {@link decide} what its Kubernetes
 * state calls for, reads Kafka only when syncing and applies the plan there, then writes the
 * status (only if it changed) and the Events. Kafka's refusals and outages become `Ready=False`
 * conditions, never exceptions; a lost write race is retried quietly.
 */
export async function applyDecision(kt: KafkaTopic, all: readonly KafkaTopic[], deps: ApplyDeps): Promise<ApplyResult> {
  try {
    const decision = decide(kt, all);
    switch (decision.kind) {
      case 'none':
        return { retry: false };
      case 'release':
        await deps.kube.removeFinalizer(kt);
        return { retry: false };
      case 'deleteTopic':
        await deps.topics.delete(decision.topicName);
        await deps.events.record(kt, eventForDeletion(decision.topicName));
        await deps.kube.removeFinalizer(kt);
        return { retry: false };
      case 'detach':
        if (hasFinalizer(kt)) await deps.kube.removeFinalizer(kt);
        return await settle(kt, { kind: 'unmanaged' }, deps);
      case 'refuse':
        return await settle(kt, { kind: 'failed', failure: decision.failure }, deps);
      case 'pause':
        return await settle(kt, { kind: 'paused' }, deps);
      case 'sync':
        return await sync(kt, decision.desired, deps);
      default: {
        const unexpected: never = decision;
        throw new Error(`unknown decision ${JSON.stringify(unexpected)}`);
      }
    }
  } catch (error) {
    if (isConflict(error)) return { retry: true };
    const failure = failureOf(error);
    deps.logger.warn({ resource: resourceKey(kt), reason: failure.reason, error: failure.message }, 'reconciliation failed');
    try {
      await settle(kt, { kind: 'failed', failure }, deps);
    } catch (statusError) {
      deps.logger.warn(
        { resource: resourceKey(kt), error: describeApiError(statusError) },
        'could not write the failure to the status',
      );
    }
    return { retry: failure.retriable, failure };
  }
}

async function sync(kt: KafkaTopic, desired: DesiredTopic, deps: ApplyDeps): Promise<ApplyResult> {
  if (!hasFinalizer(kt)) await deps.kube.addFinalizer(kt);
  const actual = await deps.topics.describe(desired.name);
  const plan = planTopic(desired, actual);
  if (!plan.ok) return settle(kt, { kind: 'failed', failure: plan.failure }, deps);
  let topicId = actual?.topicId;
  for (const action of plan.actions) {
    const created = await applyAction(desired.name, action, deps.topics);
    if (created !== undefined) topicId = created;
    deps.logger.info({ resource: resourceKey(kt), topic: desired.name, action: action.kind }, 'changed Kafka topic');
    await deps.events.record(kt, eventForAction(desired.name, action));
  }
  // A create that found the topic already there (another client made it a moment before) brings no
  // id; Strimzi never shows Ready without one, so read it from the topic that now exists.
  if (topicId === undefined && plan.actions.some((action) => action.kind === 'createTopic')) {
    topicId = (await deps.topics.describe(desired.name))?.topicId;
  }
  return settle(kt, { kind: 'ready', ...(topicId === undefined ? {} : { topicId }) }, deps);
}

/** Makes one change in Kafka; resolves to the topic's new id when the change created it. */
async function applyAction(topicName: string, action: TopicAction, topics: TopicAdmin): Promise<string | undefined> {
  switch (action.kind) {
    case 'createTopic':
      return topics.create(action.topic);
    case 'increasePartitions':
      await topics.increasePartitions(topicName, action.to);
      return undefined;
    case 'alterConfig':
      await topics.replaceConfig(topicName, action.config);
      return undefined;
    default: {
      const unexpected: never = action;
      throw new Error(`unknown action ${JSON.stringify(unexpected)}`);
    }
  }
}

async function settle(kt: KafkaTopic, outcome: Outcome, deps: ApplyDeps): Promise<ApplyResult> {
  const next = nextStatus(kt, outcome, deps.clock());
  if (statusChanged(kt.status, next)) {
    await deps.kube.writeStatus(kt, next);
    const condition = conditionOfStatus(next);
    const event = condition && eventForCondition(conditionOfStatus(kt.status), condition);
    if (event) await deps.events.record(kt, event);
  }
  if (outcome.kind !== 'failed') return { retry: false };
  return { retry: outcome.failure.retriable, failure: outcome.failure };
}

function failureOf(error: unknown): Failure {
  if (error instanceof KafkaAdminError) {
    return { reason: 'KafkaError', message: error.message, retriable: error.retriable };
  }
  return { reason: 'InternalError', message: describeApiError(error), retriable: true };
}
