import { createEvent, type DomainEvent, type NewEvent } from '@msa/contracts';

/** The kind of aggregate a stream holds, as events name it (`User`, `Order`, ...). */
export type AggregateType = DomainEvent['aggregateType'];

/** The events of one aggregate type. */
export type AggregateEvent<A extends AggregateType> = Extract<DomainEvent, { aggregateType: A }>;

/** A new event as the domain decides it: its type and payload. The command handler adds the envelope. */
export type EventDraft<E extends DomainEvent = DomainEvent> = E extends DomainEvent
  ? { readonly eventType: E['eventType']; readonly payload: NewEvent<E['eventType']>['payload'] }
  : never;

/** What `decide` is told besides the command and the state. */
export interface DecisionContext {
  /** When the command is handled: the time its events will carry. */
  readonly now: Date;
}

/**
 * An aggregate's pure core: how its events build its state, and which events a command yields. Time
 * arrives as an input and ids inside the command, so the same command on the same state always
 * decides the same events.
 */
export interface Decider<State, Command, A extends AggregateType> {
  readonly aggregateType: A;
  readonly initialState: () => State;
  /** Returns the next state without changing the one given: handlers keep recent states between commands. */
  readonly evolve: (state: State, event: AggregateEvent<A>) => State;
  /** The events `command` causes in `state`; throws the domain's own error to reject it. */
  readonly decide: (command: Command, state: State, context: DecisionContext) => readonly EventDraft<AggregateEvent<A>>[];
}

/**
 * Applies `events` to `state` with the decider's `evolve`.
 *
 * @throws TypeError when an event belongs to another aggregate type.
 */
export function foldEvents<State, Command, A extends AggregateType>(
  decider: Decider<State, Command, A>,
  streamId: string,
  state: State,
  events: readonly DomainEvent[],
): State {
  return events.reduce((current, event) => {
    if (!isAggregateEvent(event, decider.aggregateType)) {
      throw new TypeError(`stream ${streamId} holds a ${event.aggregateType} event, not ${decider.aggregateType}`);
    }
    return decider.evolve(current, event);
  }, state);
}

function isAggregateEvent<A extends AggregateType>(event: DomainEvent, type: A): event is AggregateEvent<A> {
  return event.aggregateType === type;
}

/** The envelope drafts receive when they become events. */
export interface Envelope {
  /** The stream's version before the first draft. */
  readonly afterVersion: number;
  readonly occurredAt: Date;
  readonly correlationId: string;
  readonly causationId: string;
  readonly newId: () => string;
}

/**
 * Turns drafts into events numbered on from `afterVersion`, validated by the contracts.
 *
 * @throws EventParseError when a draft breaks its event's schema.
 */
export function stampEvents<A extends AggregateType>(
  drafts: readonly EventDraft<AggregateEvent<A>>[],
  { afterVersion, occurredAt, correlationId, causationId, newId }: Envelope,
): AggregateEvent<A>[] {
  const at = occurredAt.toISOString();
  return drafts.map((draft, index) =>
    createEvent({ ...draft, eventId: newId(), version: afterVersion + index + 1, occurredAt: at, correlationId, causationId }),
  ) as AggregateEvent<A>[];
}
