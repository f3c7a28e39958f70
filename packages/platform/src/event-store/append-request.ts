import { topicFor, type DomainEvent } from '@msa/contracts';
import { InvalidAppendError } from './errors.js';

/** The stream's version before any event: the expected version that creates a stream. */
export const NO_STREAM = 0;

/**
 * Checks that `events` can follow version `expectedVersion` of one stream: the rules every event
 * store holds an append to, before it looks at the stream.
 *
 * @throws InvalidAppendError when there are no events, the expected version is not a whole number,
 * the events' versions do not count on from it, or they belong to more than one aggregate.
 */
export function checkAppend(expectedVersion: number, events: readonly DomainEvent[]): void {
  if (!Number.isSafeInteger(expectedVersion) || expectedVersion < NO_STREAM) {
    throw new InvalidAppendError(`expected version must be a whole number >= 0, got ${expectedVersion}`);
  }
  const [first] = events;
  if (first === undefined) throw new InvalidAppendError('nothing to append');
  events.forEach((event, index) => {
    if (event.version !== expectedVersion + index + 1) {
      throw new InvalidAppendError(`event ${event.eventId} has version ${event.version}, expected ${expectedVersion + index + 1}`);
    }
    if (event.aggregateId !== first.aggregateId || event.aggregateType !== first.aggregateType) {
      throw new InvalidAppendError(`one append holds events of one aggregate; ${event.eventId} is of another`);
    }
  });
}

/**
 * Checks an append (`checkAppend`) and serializes it for `append_events`, each event with its
 * catalog topic and the trace context of the append.
 *
 * @throws InvalidAppendError as `checkAppend` does.
 */
export function appendRequest(
  expectedVersion: number,
  events: readonly DomainEvent[],
  traceHeaders: Readonly<Record<string, string>>,
): string {
  checkAppend(expectedVersion, events);
  return JSON.stringify(
    events.map((event) => ({
      eventId: event.eventId,
      eventType: event.eventType,
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      schemaVersion: event.schemaVersion,
      correlationId: event.correlationId,
      causationId: event.causationId,
      occurredAt: event.occurredAt,
      payload: event.payload,
      traceHeaders,
      topic: topicFor(event),
    })),
  );
}

/** Several streams' serialized appends as the one argument of `append_events_batch`. */
export function batchRequest(
  appends: readonly { readonly streamId: string; readonly expectedVersion: number; readonly request: string }[],
): string {
  // The events are already JSON: splice them in rather than parse and serialize them again.
  const items = appends.map(
    ({ streamId, expectedVersion, request }) =>
      `{"streamId":${JSON.stringify(streamId)},"expectedVersion":${expectedVersion},"events":${request}}`,
  );
  return `[${items.join(',')}]`;
}
