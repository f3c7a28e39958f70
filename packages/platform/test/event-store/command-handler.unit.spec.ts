import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@msa/contracts';
import { ConcurrencyError, createCommandHandler, type EventStore } from '../../src/index.js';
import { profileDecider, userEvent } from './support/events.js';

/**
 * The store as the handler sees it: streams in memory, conflicts on a stale expected version, and a
 * way to slip in a competing append just before the handler's own.
 */
function memoryStore(initial: readonly DomainEvent[] = []) {
  const events = [...initial];
  let competitor: DomainEvent | undefined;
  const appended: { expected: number; events: readonly DomainEvent[] }[] = [];
  /** The `afterVersion` of every read. */
  const reads: number[] = [];
  const store: EventStore = {
    readStream: (_streamId, { afterVersion = 0 } = {}) => {
      reads.push(afterVersion);
      return Promise.resolve({
        version: events.at(-1)?.version ?? afterVersion,
        events: events.filter((event) => event.version > afterVersion),
      });
    },
    append: (streamId, expected, batch) => {
      if (competitor !== undefined) {
        events.push(competitor);
        competitor = undefined;
      }
      const actual = events.at(-1)?.version ?? 0;
      if (actual !== expected) return Promise.reject(new ConcurrencyError(streamId, expected, actual));
      events.push(...batch);
      appended.push({ expected, events: batch });
      return Promise.resolve({ nextExpectedVersion: expected + batch.length });
    },
    readAll: () => Promise.resolve([]),
    readByTimeRange: () => Promise.resolve([]),
  };
  return {
    store,
    appended,
    reads,
    competeOnce: (event: DomainEvent) => {
      competitor = event;
    },
  };
}

describe('createCommandHandler', () => {
  const userId = randomUUID();
  const streamId = `user-${userId}`;
  const context = { correlationId: 'corr-1', causationId: 'cause-1' };
  const clock = () => new Date('2025-06-01T12:00:00.000Z');
  const ids = ['7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d01', '7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d02'];
  const newId = () => ids.shift() ?? randomUUID();

  it('given no events, when a command is handled, then its event is appended at NO_STREAM with a full envelope', async () => {
    const { store, appended } = memoryStore();

    const handle = createCommandHandler({ store, decider: profileDecider, clock, newId });

    const result = await handle(streamId, { userId, name: 'Kim' }, context);

    expect(appended).toEqual([{ expected: 0, events: result.events }]);
    expect(result.events).toEqual([
      expect.objectContaining({
        eventType: 'UserCreated',
        aggregateId: userId,
        version: 1,
        eventId: '7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d01',
        occurredAt: '2025-06-01T12:00:00.000Z',
        correlationId: 'corr-1',
        causationId: 'cause-1',
      }),
    ]);
    expect(result).toMatchObject({ state: { userId, renames: 0 }, nextExpectedVersion: 1 });
  });

  it('given a created user, when renamed, then the state is folded from history and the new event', async () => {
    const { store, appended } = memoryStore([userEvent(userId, 1)]);

    const result = await createCommandHandler({ store, decider: profileDecider })(streamId, { userId, name: 'Lee' }, context);

    expect(appended[0]?.expected).toBe(1);
    expect(result).toMatchObject({ state: { renames: 1 }, nextExpectedVersion: 2 });
  });

  it('given a competing append, when retries are allowed, then the command is decided again on the new state', async () => {
    const { store, appended, competeOnce } = memoryStore([userEvent(userId, 1)]);
    competeOnce(userEvent(userId, 2));

    const handle = createCommandHandler({ store, decider: profileDecider, retries: 1 });

    const result = await handle(streamId, { userId, name: 'Lee' }, context);

    expect(appended.map((a) => a.expected)).toEqual([2]);
    expect(result).toMatchObject({ state: { renames: 2 }, nextExpectedVersion: 3 });
  });

  it('given a competing append, when no retries are allowed, then the ConcurrencyError reaches the caller', async () => {
    const { store, competeOnce } = memoryStore([userEvent(userId, 1)]);
    competeOnce(userEvent(userId, 2));

    const handle = createCommandHandler({ store, decider: profileDecider, retries: 0 });

    const handled = handle(streamId, { userId, name: 'Lee' }, context);

    await expect(handled).rejects.toMatchObject({ expected: 1, actual: 2 });
  });

  it('given a competing append inside a caller transaction, when retries are allowed, then it still fails so the caller retries the whole transaction', async () => {
    const { store, competeOnce } = memoryStore([userEvent(userId, 1)]);
    competeOnce(userEvent(userId, 2));
    const tx = { client: {} as never, afterCommit: () => undefined };

    const handle = createCommandHandler({ store, decider: profileDecider, retries: 3 });

    const handled = handle(streamId, { userId, name: 'Lee' }, { ...context, tx });

    await expect(handled).rejects.toThrow(ConcurrencyError);
  });

  it('given a decision of no events, when handled, then nothing is appended', async () => {
    const { store, appended } = memoryStore([userEvent(userId, 1)]);
    const idle = { ...profileDecider, decide: () => [] };

    const result = await createCommandHandler({ store, decider: idle })(streamId, { userId, name: 'Kim' }, context);

    expect(appended).toEqual([]);
    expect(result).toMatchObject({ events: [], nextExpectedVersion: 1 });
  });

  it('given a stream of another aggregate, when handled, then a TypeError names both types', async () => {
    const { store } = memoryStore([userEvent(userId, 1)]);
    const orders = { ...profileDecider, aggregateType: 'Order' } as unknown as typeof profileDecider;

    const handled = createCommandHandler({ store, decider: orders })(`order-${userId}`, { userId, name: 'Kim' }, context);

    await expect(handled).rejects.toThrow('holds a User event, not Order');
  });

  it('given commands arriving while one is handled, when it finishes, then they are decided in order on one read and appended together', async () => {
    const { store, appended } = memoryStore([userEvent(userId, 1)]);
    const handle = createCommandHandler({ store, decider: profileDecider });

    const results = await Promise.all(['A', 'B', 'C'].map((name) => handle(streamId, { userId, name }, context)));

    expect(appended.map((a) => [a.expected, a.events.length])).toEqual([[1, 1], [2, 2]]);
    expect(results.map((r) => [r.nextExpectedVersion, r.state.renames])).toEqual([[2, 1], [3, 2], [4, 3]]);
    expect(results[2]?.events.map((e) => e.version)).toEqual([4]);
  });

  it('given a group where decide rejects one command, when handled, then only that one fails and the others land', async () => {
    const { store, appended } = memoryStore([userEvent(userId, 1)]);
    const picky = {
      ...profileDecider,
      decide: (...[command, state, decision]: Parameters<typeof profileDecider.decide>) => {
        if (command.name === '') throw new RangeError('a name is required');
        return profileDecider.decide(command, state, decision);
      },
    };
    const handle = createCommandHandler({ store, decider: picky });

    const outcomes = await Promise.allSettled(['A', '', 'C'].map((name) => handle(streamId, { userId, name }, context)));

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(appended.flatMap((a) => a.events.map((e) => e.version))).toEqual([2, 3]);
  });

  it('given a group whose shared append fails for another reason, when handled, then each command is tried alone', async () => {
    const { store, appended } = memoryStore([userEvent(userId, 1)]);
    const append = store.append.bind(store);
    let failures = 0;
    const flaky: typeof store = {
      ...store,
      append: (streamId, expected, events, options) => {
        if (events.length > 1 && failures === 0) {
          failures += 1;
          return Promise.reject(new Error('statement too large'));
        }
        return append(streamId, expected, events, options);
      },
    };
    const handle = createCommandHandler({ store: flaky, decider: profileDecider });

    const results = await Promise.all(['A', 'B', 'C'].map((name) => handle(streamId, { userId, name }, context)));

    expect(results.map((r) => r.nextExpectedVersion)).toEqual([2, 3, 4]);
    expect(appended.map((a) => a.events.length)).toEqual([1, 1, 1]);
  });

  /** Renames, the last one only if the user still has the name it expects. */
  const guardedRenames = {
    ...profileDecider,
    decide: (
      command: { readonly userId: string; readonly name: string; readonly ifRenames?: number },
      state: Parameters<typeof profileDecider.decide>[1],
      decision: Parameters<typeof profileDecider.decide>[2],
    ) => {
      if (command.ifRenames !== undefined && state.renames !== command.ifRenames) {
        throw new RangeError(`expected ${command.ifRenames} renames, found ${state.renames}`);
      }
      return profileDecider.decide(command, state, decision);
    },
  };

  it('given a group where a command is rejected on the state an earlier one left, when that one\'s append fails, then the rejected one is decided again on the real state', async () => {
    const { store, appended } = memoryStore([userEvent(userId, 1)]);
    const append = store.append.bind(store);
    const refusing: typeof store = {
      ...store,
      append: (streamId, expected, events, options) =>
        events.some((event) => event.eventType === 'UserUpdated' && event.payload.name === 'Refused')
          ? Promise.reject(new Error('statement too large'))
          : append(streamId, expected, events, options),
    };
    const handle = createCommandHandler({ store: refusing, decider: guardedRenames });
    const rename = (command: Parameters<typeof guardedRenames.decide>[0]) => handle(streamId, command, context);

    const outcomes = await Promise.allSettled([
      rename({ userId, name: 'First' }),
      rename({ userId, name: 'Refused' }),
      rename({ userId, name: 'Guarded', ifRenames: 1 }),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(outcomes[1]).toMatchObject({ reason: { message: 'statement too large' } });
    expect(appended.map((a) => a.events.map((e) => e.version))).toEqual([[2], [3]]);
  });

  it('given a group where a command is rejected on the state an earlier one left, when the group\'s append conflicts, then the rejected one is decided again on the real state', async () => {
    const { store, appended, competeOnce } = memoryStore([userEvent(userId, 1)]);
    const handle = createCommandHandler({ store, decider: guardedRenames, retries: 0 });
    const rename = (command: Parameters<typeof guardedRenames.decide>[0]) => handle(streamId, command, context);
    const first = rename({ userId, name: 'First' });
    const grouped = [
      rename({ userId, name: 'Loser 1' }),
      rename({ userId, name: 'Loser 2' }),
      rename({ userId, name: 'Guarded', ifRenames: 2 }),
    ];
    await first;
    competeOnce(userEvent(userId, 3));

    const outcomes = await Promise.allSettled(grouped);

    expect(outcomes.slice(0, 2)).toEqual([
      { status: 'rejected', reason: expect.any(ConcurrencyError) as unknown },
      { status: 'rejected', reason: expect.any(ConcurrencyError) as unknown },
    ]);
    expect(outcomes[2]).toMatchObject({ status: 'fulfilled', value: { nextExpectedVersion: 4, state: { renames: 3 } } });
    expect(appended.map((a) => a.events.map((e) => e.version))).toEqual([[2], [4]]);
  });

  it('given a group where a command is rejected on the state an earlier one left, when the append commits, then the rejection stands', async () => {
    const { store, appended } = memoryStore([userEvent(userId, 1)]);
    const handle = createCommandHandler({ store, decider: guardedRenames });
    const rename = (command: Parameters<typeof guardedRenames.decide>[0]) => handle(streamId, command, context);

    const outcomes = await Promise.allSettled([
      rename({ userId, name: 'First' }),
      rename({ userId, name: 'Second' }),
      rename({ userId, name: 'Guarded', ifRenames: 1 }),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(outcomes[2]).toMatchObject({ reason: { message: 'expected 1 renames, found 2' } });
    expect(appended.map((a) => a.events.map((e) => e.version))).toEqual([[2], [3]]);
  });

  it('given a stream this process handled, when the next command comes, then only the events after its committed state are read', async () => {
    const { store, reads, competeOnce } = memoryStore([userEvent(userId, 1)]);
    const handle = createCommandHandler({ store, decider: profileDecider, retries: 0 });
    await handle(streamId, { userId, name: 'A' }, context);
    competeOnce(userEvent(userId, 3));
    await expect(handle(streamId, { userId, name: 'B' }, context)).rejects.toBeInstanceOf(ConcurrencyError);

    const result = await handle(streamId, { userId, name: 'C' }, context);

    expect(reads).toEqual([0, 2, 2]);
    expect(result).toMatchObject({ state: { renames: 3 }, nextExpectedVersion: 4 });
  });

  it('given a context with neither ids nor a time, when handled, then the events carry a new correlation id as their causation and the clock\'s time', async () => {
    const { store } = memoryStore();
    const fresh = ['0c4f2a8e-5b1d-4e7a-9c3f-6d2e1b0a9f01', '0c4f2a8e-5b1d-4e7a-9c3f-6d2e1b0a9f02'];
    const handle = createCommandHandler({ store, decider: profileDecider, clock, newId: () => fresh.shift() ?? randomUUID() });

    const { events } = await handle(streamId, { userId, name: 'Kim' });

    expect(events).toEqual([
      expect.objectContaining({
        correlationId: '0c4f2a8e-5b1d-4e7a-9c3f-6d2e1b0a9f01',
        causationId: '0c4f2a8e-5b1d-4e7a-9c3f-6d2e1b0a9f01',
        eventId: '0c4f2a8e-5b1d-4e7a-9c3f-6d2e1b0a9f02',
        occurredAt: '2025-06-01T12:00:00.000Z',
      }),
    ]);
  });

  it('given a context with only a causation id, when handled, then the command starts its own flow under that id', async () => {
    const { store } = memoryStore();

    const { events } = await createCommandHandler({ store, decider: profileDecider })(streamId, { userId, name: 'Kim' }, { causationId: 'msg-7' });

    expect(events).toEqual([expect.objectContaining({ correlationId: 'msg-7', causationId: 'msg-7' })]);
  });

  it('given a context time, when handled, then decide is told it and the events carry it', async () => {
    const { store } = memoryStore();
    const told: Date[] = [];
    const timed = {
      ...profileDecider,
      decide: (...[command, state, decision]: Parameters<typeof profileDecider.decide>) => {
        told.push(decision.now);
        return profileDecider.decide(command, state, decision);
      },
    };
    const now = new Date('2025-07-04T08:00:00.000Z');

    const { events } = await createCommandHandler({ store, decider: timed, clock })(streamId, { userId, name: 'Kim' }, { now });

    expect(told).toEqual([now]);
    expect(events.map((event) => event.occurredAt)).toEqual(['2025-07-04T08:00:00.000Z']);
  });

  it('given a handler built without retries, when another process wrote between the read and the append, then it decides again on its own', async () => {
    const { store, appended, competeOnce } = memoryStore([userEvent(userId, 1)]);
    competeOnce(userEvent(userId, 2));

    const result = await createCommandHandler({ store, decider: profileDecider })(streamId, { userId, name: 'Lee' }, context);

    expect(appended.map((a) => a.expected)).toEqual([2]);
    expect(result.nextExpectedVersion).toBe(3);
  });

  it.each([-1, 1.5, Number.NaN])('given retries of %p, when the handler is built, then it refuses them', (retries) => {
    const { store } = memoryStore();

    expect(() => createCommandHandler({ store, decider: profileDecider, retries })).toThrow(RangeError);
  });
});
