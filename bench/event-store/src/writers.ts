import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createEvent, type DomainEvent } from '@msa/contracts';
import { ConcurrencyError, createCommandHandler, type Decider, type EventStore } from '@msa/platform';

/** What an append measurement did. */
export interface AppendRun {
  readonly events: number;
  readonly appends: number;
  readonly conflicts: number;
  readonly seconds: number;
}

/** Called with each committed append's events and the moment its commit was confirmed. */
export type OnCommitted = (events: readonly DomainEvent[], committedAt: number) => void;

interface Stream {
  readonly id: string;
  readonly userId: string;
  version: number;
  /** An update of this user, made once through the contracts; appends copy it with new ids. */
  readonly update: DomainEvent;
}

function newStream(label: string): Stream {
  const userId = randomUUID();
  const update = createEvent({
    eventId: randomUUID(),
    version: 2,
    occurredAt: new Date().toISOString(),
    correlationId: 'bench',
    causationId: 'bench',
    eventType: 'UserUpdated',
    payload: { userId, name: 'Bench User' },
  });
  return { id: `${label}-${userId}`, userId, version: 0, update };
}

/**
 * The next `count` events of a stream standing at `version`: its creation first, updates after. Only
 * the first is built and validated by the contracts each time; updates are copies of one validated
 * update with a new id and version, so the load generator spends its time appending.
 */
function nextEvents(stream: Stream, version: number, count: number): DomainEvent[] {
  const occurredAt = new Date().toISOString();
  return Array.from({ length: count }, (_, index): DomainEvent => {
    const eventVersion = version + index + 1;
    return eventVersion === 1
      ? createEvent({
          eventId: randomUUID(),
          version: 1,
          occurredAt,
          correlationId: 'bench',
          causationId: 'bench',
          eventType: 'UserCreated',
          payload: { userId: stream.userId, email: `${stream.userId}@example.com`, name: 'Bench User', role: 'customer' },
        })
      : { ...stream.update, eventId: randomUUID(), version: eventVersion, occurredAt };
  });
}

/**
 * `writers` concurrent writers for `seconds`, each owning the streams whose index is its own modulo
 * the writer count and appending `perAppend` events to them in turn, so no two writers conflict:
 * the pgbench script does the same.
 */
export async function appendToManyStreams(
  store: EventStore,
  { writers, streams, perAppend, seconds, onCommitted }: {
    readonly writers: number;
    readonly streams: number;
    readonly perAppend: number;
    readonly seconds: number;
    readonly onCommitted?: OnCommitted;
  },
): Promise<AppendRun> {
  const all = Array.from({ length: streams }, () => newStream('many'));
  const started = performance.now();
  const deadline = started + seconds * 1_000;
  const counts = await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      const owned = all.filter((_stream, index) => index % writers === writer);
      let appends = 0;
      while (performance.now() < deadline) {
        const stream = owned[appends % owned.length];
        if (stream === undefined) break;
        const events = nextEvents(stream, stream.version, perAppend);
        await store.append(stream.id, stream.version, events);
        stream.version += perAppend;
        appends += 1;
        onCommitted?.(events, performance.now());
      }
      return appends;
    }),
  );
  const appends = counts.reduce((sum, n) => sum + n, 0);
  return { events: appends * perAppend, appends, conflicts: 0, seconds: (performance.now() - started) / 1_000 };
}

/**
 * `writers` concurrent writers appending `perAppend` events at a time to one stream for `seconds`.
 * Each appends at the version it last knew; on a conflict it learns the actual version from the
 * error and tries again, as a command handler's retry would.
 */
export async function appendToHotStream(
  store: EventStore,
  { writers, perAppend, seconds }: { readonly writers: number; readonly perAppend: number; readonly seconds: number },
): Promise<AppendRun> {
  const stream = newStream('hot');
  const started = performance.now();
  const deadline = started + seconds * 1_000;
  const outcomes = await Promise.all(
    Array.from({ length: writers }, async () => {
      let known = 0;
      let appends = 0;
      let conflicts = 0;
      while (performance.now() < deadline) {
        try {
          await store.append(stream.id, known, nextEvents(stream, known, perAppend));
          known += perAppend;
          appends += 1;
        } catch (error) {
          if (!(error instanceof ConcurrencyError)) throw error;
          known = error.actual;
          conflicts += 1;
        }
      }
      return { appends, conflicts };
    }),
  );
  const appends = outcomes.reduce((sum, o) => sum + o.appends, 0);
  const conflicts = outcomes.reduce((sum, o) => sum + o.conflicts, 0);
  return { events: appends * perAppend, appends, conflicts, seconds: (performance.now() - started) / 1_000 };
}

/** A user whose every command renames it `perCommand` times (its creation first). */
function renamingDecider(perCommand: number): Decider<{ readonly created: boolean }, { readonly userId: string }, 'User'> {
  return {
    aggregateType: 'User',
    initialState: () => ({ created: false }),
    evolve: (state, event) => (event.eventType === 'UserCreated' ? { created: true } : state),
    decide: ({ userId }, { created }) =>
      Array.from({ length: perCommand }, (_, index) =>
        index === 0 && !created
          ? {
              eventType: 'UserCreated' as const,
              payload: { userId, email: `${userId}@example.com`, name: 'Bench User', role: 'customer' as const },
            }
          : { eventType: 'UserUpdated' as const, payload: { userId, name: `Bench ${index}` } },
      ),
  };
}

/**
 * `writers` concurrent writers sending commands to one stream for `seconds` through the command
 * handler, each command yielding `perCommand` events: how a service writes to a hot aggregate.
 */
export async function commandHotStream(
  store: EventStore,
  { writers, perCommand, seconds }: { readonly writers: number; readonly perCommand: number; readonly seconds: number },
): Promise<AppendRun> {
  const stream = newStream('commands');
  const handle = createCommandHandler({ store, decider: renamingDecider(perCommand), retries: 10 });
  const context = { correlationId: 'bench', causationId: 'bench' };
  const started = performance.now();
  const deadline = started + seconds * 1_000;
  const counts = await Promise.all(
    Array.from({ length: writers }, async () => {
      let commands = 0;
      while (performance.now() < deadline) {
        await handle(stream.id, { userId: stream.userId }, context);
        commands += 1;
      }
      return commands;
    }),
  );
  const commands = counts.reduce((sum, n) => sum + n, 0);
  return { events: commands * perCommand, appends: commands, conflicts: 0, seconds: (performance.now() - started) / 1_000 };
}

/** Appends `total` events to one stream, `perAppend` at a time, and returns the stream's id. */
export async function fillStream(store: EventStore, total: number, perAppend: number): Promise<string> {
  const stream = newStream('long');
  while (stream.version < total) {
    const count = Math.min(perAppend, total - stream.version);
    await store.append(stream.id, stream.version, nextEvents(stream, stream.version, count));
    stream.version += count;
  }
  return stream.id;
}
