import type { DomainEvent } from '@msa/contracts';
import { readReplayMarker, type ReplayMarker } from '../dead-letter/headers.js';
import { deadLetter } from '../dead-letter/writer.js';
import { unavailableDependency } from '../../dependencies/unavailable.js';
import { NonRetriableError } from '../errors.js';
import { handlerFor, type EventHandler } from '../handlers.js';
import { findParkedKey } from '../parking/parked-keys.js';
import { isReplayForAnotherGroup, routeMessage, type MessageRoute } from '../parking/route.js';
import { retryDelayMs } from '../retry/backoff.js';
import { retryBookkeeping } from '../retry/bookkeeping.js';
import { classifyError } from '../retry/classify.js';
import { attemptHandling } from './attempt.js';
import { decodeMessage } from './decode.js';
import type { ConsumedMessage, PipelineDeps } from './deps.js';

/**
 * Takes one message to its end: skipped, followed into the DLT behind its parked key, dead-lettered
 * as unparseable (see `decodeMessage`), handled (or found handled already), or dead-lettered after its attempts. A message
 * is parsed before its key's state is known; only a message that is handled or dead-lettered needs it. When this
 * resolves the caller may commit the offset; it throws only `ConsumerStopping`, or a Kafka error that
 * ends the batch (a rebalance), leaving the message to be delivered again.
 */
export async function processMessage(deps: PipelineDeps, message: ConsumedMessage): Promise<void> {
  const { source } = message;
  const replay = readReplayMarker(source.headers);
  if (isReplayForAnotherGroup(deps.group, replay)) {
    deps.log.debug({ why: 'replay-for-another-group' }, 'message skipped');
    return;
  }
  const decoded = decodeMessage(source, message.value, deps.maxMessageBytes);
  if (decoded.success) {
    await handleWithRetries(deps, message, decoded.event, replay);
    return;
  }
  // A parseable event learns its key's parked state in its handler's transaction; bytes that are not
  // one read it here, to follow a parked key in order rather than park it again.
  const key = source.key;
  const parked =
    key === null
      ? undefined
      : await retryBookkeeping(deps, 'reading the parked key', () => findParkedKey(deps.pool, deps.group, source.topic, key));
  const route = routeMessage({ group: deps.group, offset: source.offset, replay, parked });
  if (route.kind !== 'handle') {
    await passParkedKey(deps, message, route, replay);
    return;
  }
  await deadLetter(deps, message, { reason: 'unparseable', attempts: 1, error: decoded.error }, replay);
}

/** A message behind a parked key is skipped (the dead-lettered head seen again) or follows it into the DLT. */
async function passParkedKey(
  deps: PipelineDeps,
  message: ConsumedMessage,
  route: Exclude<MessageRoute, { readonly kind: 'handle' }>,
  replay: ReplayMarker | undefined,
): Promise<void> {
  if (route.kind === 'skip') {
    deps.log.debug({ why: route.why }, 'message skipped');
    return;
  }
  await deadLetter(deps, message, { reason: 'parked', attempts: 0, parkedBehind: route.parked.headOffset }, replay);
}

async function handleWithRetries(
  deps: PipelineDeps,
  message: ConsumedMessage,
  event: DomainEvent,
  replay: ReplayMarker | undefined,
): Promise<void> {
  const { source } = message;
  const log = deps.log.child({ eventId: event.eventId, eventType: event.eventType });
  const handler = handlerFor(deps.handlers, event) ?? missingHandler(deps.group);
  const labels = { topic: source.topic, group: deps.group };
  // Tries while a dependency is down (`outage`) are not the message's attempts: see below.
  for (let attempt = 1, outage = 0; ; attempt++) {
    if (attempt > 1 || outage > 0) deps.metrics.consumerRetries.inc(labels);
    const result = await retryBookkeeping(deps, 'opening the handler transaction', () =>
      attemptHandling(deps, { event, handler, source, replay, attempt, log }),
    );
    if (result.kind === 'routed') {
      await passParkedKey(deps, message, result.route, replay);
      return;
    }
    if (result.kind !== 'failed') {
      deps.metrics.consumerHandled.inc({ ...labels, outcome: result.kind === 'processed' ? 'processed' : 'duplicate' });
      log.debug({ outcome: result.kind, unparked: result.unparked, attempt }, 'message handled');
      if (result.unparked) log.info({ key: source.key }, 'key un-parked by replay');
      return;
    }
    // A dependency that cannot be reached says nothing about the message, as a bookkeeping failure
    // does not: spending attempts on it would dead-letter and park every message of an outage longer
    // than the backoff (about 7 s by default), leaving accepted work to a replay by hand. The
    // partition waits instead, with backoff, until the dependency is back or the runner stops; the
    // service's readiness names the dependency meanwhile.
    const unavailable = unavailableDependency(result.error);
    if (unavailable !== undefined) {
      outage++;
      attempt--;
      const delayMs = retryDelayMs(deps.policy, outage, deps.random);
      log.warn({ err: result.error, dependency: unavailable.dependency, outage, delayMs }, 'handler failed: a dependency is unavailable; waiting for it');
      await deps.pacer.wait(delayMs);
      continue;
    }
    outage = 0;
    const error = classifyError(result.error);
    const lastAttempt = !error.retriable || attempt >= deps.policy.maxAttempts;
    log.warn({ err: result.error, attempt, retriable: error.retriable }, 'handler failed');
    if (lastAttempt) {
      await deadLetter(deps, message, { reason: 'failed', attempts: attempt, error }, replay);
      return;
    }
    await deps.pacer.wait(retryDelayMs(deps.policy, attempt, deps.random));
  }
}

function missingHandler(group: string): EventHandler {
  return (event) => Promise.reject(new NonRetriableError(`group ${group} has no handler for ${event.eventType}`));
}
