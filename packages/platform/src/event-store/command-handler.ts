import { randomUUID } from 'node:crypto';
import { createEvent, type DomainEvent, type NewEvent } from '@msa/contracts';
import { ConcurrencyError } from './errors.js';
import type { EventStore, InTransaction } from './event-store.js';

/** The kind of aggregate a stream holds, as events name it (`User`, `Order`, ...). */
export type AggregateType = DomainEvent['aggregateType'];

/** The events of one aggregate type. */
export type AggregateEvent<A extends AggregateType> = Extract<DomainEvent, { aggregateType: A }>;

/** A new event as the domain decides it: its type and payload. The command handler adds the envelope. */
export type EventDraft<E extends DomainEvent = DomainEvent> = E extends DomainEvent
  ? { readonly eventType: E['eventType']; readonly payload: NewEvent<E['eventType']>['payload'] }
  : never;

/** An aggregate's pure core: how its events build its state, and which events a command yields. */
export interface Decider<State, Command, A extends AggregateType> {
  readonly aggregateType: A;
  readonly initialState: () => State;
  readonly evolve: (state: State, event: AggregateEvent<A>) => State;
  /** The events `command` causes in `state`; throws the domain's own error to reject it. */
  readonly decide: (command: Command, state: State) => readonly EventDraft<AggregateEvent<A>>[];
}

/** Where a command comes from, stamped on the events it causes. */
export interface CommandContext extends InTransaction {
  readonly correlationId: string;
  /** The id of the request or message that carried the command. */
  readonly causationId: string;
}

/** Options for `handleCommand`. */
export interface CommandHandlerOptions {
  /**
   * How many times to read, decide and append again after a `ConcurrencyError`. Never inside a
   * caller's transaction: that whole transaction is what must be retried. @default 0
   */
  readonly retries?: number;
  /** @default () => new Date() */
  readonly clock?: () => Date;
  /** @default randomUUID */
  readonly newEventId?: () => string;
}

/** What a handled command did. */
export interface CommandResult<State, A extends AggregateType> {
  /** The state after the new events. */
  readonly state: State;
  /** The events appended; empty when the command changed nothing. */
  readonly events: readonly AggregateEvent<A>[];
  readonly nextExpectedVersion: number;
}

function isAggregateEvent<A extends AggregateType>(event: DomainEvent, type: A): event is AggregateEvent<A> {
  return event.aggregateType === type;
}

/**
 * A command handler for one stream: reads it, folds it with `evolve`, asks `decide`, and appends the
 * resulting events with the version it read as the expected version, so a concurrent change fails
 * the append instead of being overwritten.
 *
 * @throws ConcurrencyError when the stream moved on (after `retries` further attempts).
 * @throws TypeError when the stream holds another aggregate's events.
 */
export function handleCommand<State, Command, A extends AggregateType>(
  store: EventStore,
  streamId: string,
  decider: Decider<State, Command, A>,
  { retries = 0, clock = () => new Date(), newEventId = randomUUID }: CommandHandlerOptions = {},
): (command: Command, context: CommandContext) => Promise<CommandResult<State, A>> {
  const fold = (state: State, events: readonly DomainEvent[]): State =>
    events.reduce((current, event) => {
      if (!isAggregateEvent(event, decider.aggregateType)) {
        throw new TypeError(`stream ${streamId} holds a ${event.aggregateType} event, not ${decider.aggregateType}`);
      }
      return decider.evolve(current, event);
    }, state);

  async function attempt(command: Command, context: CommandContext): Promise<CommandResult<State, A>> {
    const stream = await store.readStream(streamId, context);
    const state = fold(decider.initialState(), stream.events);
    const drafts = decider.decide(command, state);
    if (drafts.length === 0) return { state, events: [], nextExpectedVersion: stream.version };
    const occurredAt = clock().toISOString();
    const events = drafts.map((draft, index) =>
      createEvent({
        ...draft,
        eventId: newEventId(),
        version: stream.version + index + 1,
        occurredAt,
        correlationId: context.correlationId,
        causationId: context.causationId,
      }),
    ) as AggregateEvent<A>[];
    const { nextExpectedVersion } = await store.append(streamId, stream.version, events, context);
    return { state: fold(state, events), events, nextExpectedVersion };
  }

  return async (command, context) => {
    for (let attempts = 0; ; attempts += 1) {
      try {
        return await attempt(command, context);
      } catch (error) {
        const retriable = error instanceof ConcurrencyError && context.tx === undefined && attempts < retries;
        if (!retriable) throw error;
      }
    }
  };
}
