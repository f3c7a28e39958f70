import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { foldEvents, stampEvents, type AggregateEvent, type AggregateType, type Decider } from './decider.js';
import { ConcurrencyError } from './errors.js';
import type { EventStore, InTransaction } from './event-store.js';
import { KeyedGroups } from './keyed-groups.js';

/** Where a command comes from and when, stamped on the events it causes. */
export interface CommandContext extends InTransaction {
  /** The flow the command belongs to, carried unchanged along it. @default the causation id, else a new id */
  readonly correlationId?: string;
  /** The id of the request or message that carried the command. @default the correlation id */
  readonly causationId?: string;
  /** When the command happened: its events' `occurredAt`, and the `now` that `decide` is told. @default the handler's clock */
  readonly now?: Date;
}

/** Options for `createCommandHandler`. */
export interface CommandHandlerOptions<State, Command, A extends AggregateType> {
  readonly store: EventStore;
  readonly decider: Decider<State, Command, A>;
  /**
   * How many times to read, decide and append again after a `ConcurrencyError` (another process
   * wrote the stream). Never inside a caller's transaction: that whole transaction is what must be
   * retried. @default 3
   */
  readonly retries?: number;
  /** The time of a command whose context brings none. @default () => new Date() */
  readonly clock?: () => Date;
  /** Event ids, and the correlation id of a command that arrives without one. @default randomUUID */
  readonly newId?: () => string;
}

/** What a handled command did. */
export interface CommandResult<State, A extends AggregateType> {
  /** The state after the new events. */
  readonly state: State;
  /** The events appended; empty when the command changed nothing. */
  readonly events: readonly AggregateEvent<A>[];
  readonly nextExpectedVersion: number;
}

/**
 * Handles `command` on the stream `streamId`, as `createCommandHandler` describes.
 *
 * @throws the decider's own error when `decide` rejects the command.
 * @throws ConcurrencyError when the stream moved on (after the handler's retries).
 * @throws TypeError when the stream holds another aggregate's events.
 */
export type CommandHandler<State, Command, A extends AggregateType> = (
  streamId: string,
  command: Command,
  context?: CommandContext,
) => Promise<CommandResult<State, A>>;

/** Most commands on one stream decided together and appended in one transaction. */
const MAX_COMMAND_GROUP = 64;
/** Streams whose last committed state a process keeps, per store and decider. */
const CACHED_STATES = 10_000;

/** A command waiting for its stream, with its envelope and how to answer it. */
interface PendingCommand<State, Command, A extends AggregateType> {
  readonly command: Command;
  readonly tx: InTransaction['tx'];
  readonly now: Date;
  readonly correlationId: string;
  readonly causationId: string;
  readonly retries: number;
  readonly newId: () => string;
  attempts: number;
  readonly resolve: (result: CommandResult<State, A>) => void;
  readonly reject: (error: unknown) => void;
}

/** A command `decide` accepted, its events stamped, waiting for the group's append. */
interface Decided<State, Command, A extends AggregateType> {
  readonly pending: PendingCommand<State, Command, A>;
  readonly result: CommandResult<State, A>;
}

/** A stream's state as of a committed version. */
interface CommittedState<State> {
  readonly version: number;
  readonly state: State;
}

/** What the handlers of one store and one decider share: the per-stream turns and the recent states. */
interface Aggregates<State, Command, A extends AggregateType> {
  readonly store: EventStore;
  readonly decider: Decider<State, Command, A>;
  readonly groups: KeyedGroups<PendingCommand<State, Command, A>>;
  /**
   * The last committed state of recently handled streams, so a command reads only the events after
   * it rather than the whole stream: an in-memory snapshot, always behind or at the stream's head and
   * caught up by that read. Only states the store confirmed committed are kept.
   */
  readonly states: LRUCache<string, CommittedState<State>>;
}

const aggregatesByStore = new WeakMap<EventStore, WeakMap<object, unknown>>();

function aggregatesFor<State, Command, A extends AggregateType>(
  store: EventStore,
  decider: Decider<State, Command, A>,
): Aggregates<State, Command, A> {
  let byDecider = aggregatesByStore.get(store);
  if (byDecider === undefined) {
    byDecider = new WeakMap();
    aggregatesByStore.set(store, byDecider);
  }
  let aggregates = byDecider.get(decider) as Aggregates<State, Command, A> | undefined;
  if (aggregates === undefined) {
    const states = new LRUCache<string, CommittedState<State>>({ max: CACHED_STATES });
    const created: Aggregates<State, Command, A> = {
      store,
      decider,
      states,
      groups: new KeyedGroups((streamId, group) => handleGroup(created, streamId, group), MAX_COMMAND_GROUP),
    };
    aggregates = created;
    byDecider.set(decider, aggregates);
  }
  return aggregates;
}

/** A command `decide` rejected on a state that holds events of earlier members of its group. */
interface Provisional<State, Command, A extends AggregateType> {
  readonly pending: PendingCommand<State, Command, A>;
  readonly error: unknown;
}

/**
 * Reads the stream once, decides the commands one after another (each on the state the previous ones
 * left, as if they had come one by one), and appends all their events in one append. A command
 * `decide` rejects on the committed state fails alone; one rejected on a state holding earlier
 * members' events fails only once those events commit, and is decided again if they do not. On a
 * conflict the commands with retries left go round again; on any other failure of a shared append
 * each command is tried alone, so none fails for another's events.
 */
async function handleGroup<State, Command, A extends AggregateType>(
  aggregates: Aggregates<State, Command, A>,
  streamId: string,
  group: readonly PendingCommand<State, Command, A>[],
): Promise<void> {
  const { store, decider, states } = aggregates;
  let remaining: readonly PendingCommand<State, Command, A>[] = group;
  while (remaining.length > 0) {
    const decided: Decided<State, Command, A>[] = [];
    const provisional: Provisional<State, Command, A>[] = [];
    const tx = remaining[0]?.tx;
    let expectedVersion: number;
    try {
      const cached = states.get(streamId);
      const stream = await store.readStream(streamId, { afterVersion: cached?.version ?? 0, ...(tx && { tx }) });
      expectedVersion = stream.version;
      let state = foldEvents(decider, streamId, cached?.state ?? decider.initialState(), stream.events);
      let version = stream.version;
      for (const pending of remaining) {
        try {
          const { now, correlationId, causationId, newId } = pending;
          const drafts = decider.decide(pending.command, state, { now });
          const events = stampEvents(drafts, { afterVersion: version, occurredAt: now, correlationId, causationId, newId });
          state = foldEvents(decider, streamId, state, events);
          version += events.length;
          decided.push({ pending, result: { state, events, nextExpectedVersion: version } });
        } catch (error) {
          if (version === stream.version) pending.reject(error);
          else provisional.push({ pending, error });
        }
      }
    } catch (error) {
      for (const pending of remaining) pending.reject(error);
      return;
    }
    const events = decided.flatMap(({ result }) => result.events);
    try {
      if (events.length > 0) await store.append(streamId, expectedVersion, events, tx && { tx });
      const last = decided.at(-1)?.result;
      if (last !== undefined) {
        const committed = (): void => {
          const known = states.get(streamId);
          if (known === undefined || known.version < last.nextExpectedVersion) {
            states.set(streamId, { version: last.nextExpectedVersion, state: last.state });
          }
        };
        if (tx === undefined) committed();
        else tx.afterCommit(committed);
      }
      for (const { pending, result } of decided) pending.resolve(result);
      for (const { pending, error } of provisional) pending.reject(error);
      return;
    } catch (error) {
      // The provisionally rejected were judged on events that did not commit: they go round again,
      // in their places, without spending a retry, since they did not conflict themselves.
      const undecided = new Set(provisional.map(({ pending }) => pending));
      const appending = new Set(decided.map(({ pending }) => pending));
      const inOrder = remaining.filter((pending) => undecided.has(pending) || appending.has(pending));
      if (error instanceof ConcurrencyError) {
        const again: PendingCommand<State, Command, A>[] = [];
        for (const pending of inOrder) {
          if (undecided.has(pending)) {
            again.push(pending);
            continue;
          }
          const retriable = pending.tx === undefined && pending.attempts < pending.retries;
          pending.attempts += 1;
          if (retriable) again.push(pending);
          else pending.reject(error);
        }
        remaining = again;
      } else if (decided.length > 1) {
        for (const pending of inOrder) await handleGroup(aggregates, streamId, [pending]);
        return;
      } else {
        for (const { pending } of decided) pending.reject(error);
        remaining = inOrder.filter((pending) => undecided.has(pending));
      }
    }
  }
}

/**
 * The write path of one aggregate type, built once: each call reads the stream (through a cache of
 * recent committed states), folds it with `evolve`, asks `decide`, stamps the envelope (ids, version,
 * time, correlation and causation) and appends with the version it read as the expected version, so
 * a concurrent change fails the append instead of being overwritten. A `ConcurrencyError` reads and
 * decides again, up to `retries` times, outside a caller's transaction.
 *
 * Under load nothing changes for the caller: within a process, commands on one stream (made through
 * any handler of the same store and decider) take turns, and those that arrive while one is being
 * handled are decided together and appended in one transaction. Concurrent commands of one process
 * therefore never conflict with each other, and a hot aggregate commits many commands at once. A
 * command inside a caller's transaction is handled alone, in that transaction.
 *
 * @throws RangeError when `retries` is not a whole number >= 0.
 */
export function createCommandHandler<State, Command, A extends AggregateType>({
  store,
  decider,
  retries = 3,
  clock = () => new Date(),
  newId = randomUUID,
}: CommandHandlerOptions<State, Command, A>): CommandHandler<State, Command, A> {
  if (!Number.isSafeInteger(retries) || retries < 0) throw new RangeError(`retries must be a whole number >= 0, got ${retries}`);
  const aggregates = aggregatesFor(store, decider);
  return (streamId, command, { tx, now = clock(), correlationId, causationId } = {}) =>
    new Promise((resolve, reject) => {
      const correlation = correlationId ?? causationId ?? newId();
      const pending: PendingCommand<State, Command, A> = {
        command,
        tx,
        now,
        correlationId: correlation,
        causationId: causationId ?? correlation,
        retries,
        newId,
        attempts: 0,
        resolve,
        reject,
      };
      if (tx === undefined) aggregates.groups.submit(streamId, pending);
      else void handleGroup(aggregates, streamId, [pending]);
    });
}
