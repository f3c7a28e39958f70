import {
  foldEvents,
  stampEvents,
  type AggregateEvent,
  type AggregateType,
  type DecisionContext,
  type Decider,
  type EventDraft,
} from '../event-store/decider.js';

/** A past event of a spec: a draft (stamped with an envelope here) or a whole event. */
export type GivenEvent<A extends AggregateType> = EventDraft<AggregateEvent<A>> | AggregateEvent<A>;

/** An error class a spec expects `decide` to throw. */
export type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/** The outcome a spec expects of a command. */
export interface DeciderThen<A extends AggregateType> {
  /** `decide` accepts the command and returns exactly these drafts (none when it changes nothing). */
  then(expected: readonly EventDraft<AggregateEvent<A>>[]): void;
  /** `decide` rejects the command with an error `predicate` accepts. */
  thenThrows(predicate: (error: unknown) => boolean): void;
  /** `decide` rejects the command with an instance of `type`, matching `expected` field by field. */
  thenThrows<E extends Error>(type: ErrorClass<E>, expected?: { readonly [K in keyof E]?: unknown }): void;
}

/** A history, to which a spec puts a command or whose state it checks. */
export interface DeciderGiven<State, Command, A extends AggregateType> {
  /** The command to decide on the history's state; `now` is the spec's time unless given. */
  when(command: Command, context?: Partial<DecisionContext>): DeciderThen<A>;
  /** The history folds (through `evolve`) to exactly `expected`. */
  thenState(expected: State): void;
}

/** Given/when/then for one decider; see `deciderSpec`. `given` needs no `this`, so specs may destructure it. */
export interface DeciderSpec<State, Command, A extends AggregateType> {
  /** The events already in the stream, oldest first. */
  readonly given: (events: readonly GivenEvent<A>[]) => DeciderGiven<State, Command, A>;
}

/** Options for `deciderSpec`. */
export interface DeciderSpecOptions {
  /** The time every command is decided at, and given drafts occurred at. @default 2025-01-01T00:00:00Z */
  readonly now?: Date;
}

const SPEC_STREAM = 'the given stream';

/** Ids for given drafts: valid UUIDs, the same in every run. */
function specIds(): () => string {
  let next = 0;
  return () => {
    next += 1;
    return `00000000-0000-4000-8000-${next.toString(16).padStart(12, '0')}`;
  };
}

function isErrorClass(check: ErrorClass<Error> | ((error: unknown) => boolean)): check is ErrorClass<Error> {
  return check === Error || check.prototype instanceof Error;
}

/**
 * Specifications of a decider in its own terms: `given(events).when(command).then(events)`, or
 * `.thenThrows(ErrorClass)`, or `given(events).thenState(state)`. The history is folded with
 * `evolve` after drafts get an envelope (version, a fixed id and time), so `evolve` sees events as
 * the store returns them; no store, clock or id generator is involved.
 */
export function deciderSpec<State, Command, A extends AggregateType>(
  decider: Decider<State, Command, A>,
  { now: specNow = new Date('2025-01-01T00:00:00.000Z') }: DeciderSpecOptions = {},
): DeciderSpec<State, Command, A> {
  const stateOf = (given: readonly GivenEvent<A>[]): State => {
    const newId = specIds();
    const events = given.flatMap((event, index) =>
      'eventId' in event
        ? [event]
        : stampEvents<A>([event], { afterVersion: index, occurredAt: specNow, correlationId: 'spec', causationId: 'spec', newId }),
    );
    return foldEvents(decider, SPEC_STREAM, decider.initialState(), events);
  };

  return {
    given(events) {
      return {
        when(command, { now = specNow } = {}) {
          return {
            then(expected) {
              expect(decider.decide(command, stateOf(events), { now })).toStrictEqual(expected);
            },
            thenThrows(check: ErrorClass<Error> | ((error: unknown) => boolean), expected?: object) {
              // Folded first, so a history that cannot be folded fails the spec instead of passing as the rejection.
              const state = stateOf(events);
              let decided: unknown;
              try {
                decided = decider.decide(command, state, { now });
              } catch (error) {
                if (isErrorClass(check)) {
                  expect(error).toBeInstanceOf(check);
                  if (expected !== undefined) expect(error).toMatchObject(expected);
                } else if (!check(error)) {
                  throw new Error(`the command was rejected with ${String(error)}, which the predicate refuses`, { cause: error });
                }
                return;
              }
              throw new Error(`expected the command to be rejected, but it decided ${JSON.stringify(decided)}`);
            },
          };
        },
        thenState(expected) {
          expect(stateOf(events)).toStrictEqual(expected);
        },
      };
    },
  };
}
