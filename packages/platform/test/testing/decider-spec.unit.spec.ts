import { randomUUID } from 'node:crypto';
import { createEvent } from '@msa/contracts';
import type { Decider } from '../../src/index.js';
import { deciderSpec } from '../../src/testing/index.js';

class NameRequired extends Error {
  override readonly name = 'NameRequired';

  constructor(readonly userId: string) {
    super(`user ${userId} needs a name`);
  }
}

interface Named {
  readonly names: readonly string[];
  /** The version and time of each event folded, as `evolve` saw them. */
  readonly seen: readonly string[];
}

/** Registers a user, then renames them; an empty name is refused; the registration time is `now`. */
const naming: Decider<Named, { readonly userId: string; readonly name: string }, 'User'> = {
  aggregateType: 'User',
  initialState: () => ({ names: [], seen: [] }),
  evolve: (state, event) => ({
    names: [...state.names, 'name' in event.payload ? (event.payload.name ?? '') : ''],
    seen: [...state.seen, `${event.version}@${event.occurredAt}`],
  }),
  decide: ({ userId, name }, state, { now }) => {
    if (name === '') throw new NameRequired(userId);
    return state.names.length === 0
      ? [{ eventType: 'UserCreated', payload: { userId, email: `${now.getUTCFullYear()}@example.com`, name, role: 'customer' } }]
      : [{ eventType: 'UserUpdated', payload: { userId, name } }];
  },
};

describe('deciderSpec', () => {
  const userId = randomUUID();
  const spec = deciderSpec(naming);
  const created = {
    eventType: 'UserCreated',
    payload: { userId, email: 'kim@example.com', name: 'Kim', role: 'customer' },
  } as const;

  it('given a history and a command, when decide returns the expected drafts, then the spec passes', () => {
    spec.given([created]).when({ userId, name: 'Lee' }).then([{ eventType: 'UserUpdated', payload: { userId, name: 'Lee' } }]);
  });

  it('given a command, when decide returns other drafts than expected, then the spec fails', () => {
    expect(() => {
      spec.given([created]).when({ userId, name: 'Lee' }).then([]);
    }).toThrow();
  });

  it('given a refused command, when the expected class and fields match, then thenThrows passes', () => {
    spec.given([created]).when({ userId, name: '' }).thenThrows(NameRequired, { userId });
  });

  it('given a refused command, when a field differs, then thenThrows fails', () => {
    expect(() => {
      spec.given([created]).when({ userId, name: '' }).thenThrows(NameRequired, { userId: 'someone else' });
    }).toThrow();
  });

  it('given a refused command, when another class is expected, then thenThrows fails', () => {
    expect(() => {
      spec.given([created]).when({ userId, name: '' }).thenThrows(RangeError);
    }).toThrow();
  });

  it('given a refused command, when a predicate judges the error, then thenThrows follows the predicate', () => {
    spec.given([]).when({ userId, name: '' }).thenThrows((error) => error instanceof NameRequired);
    expect(() => {
      spec.given([]).when({ userId, name: '' }).thenThrows((error) => error instanceof RangeError);
    }).toThrow('which the predicate refuses');
  });

  it('given an accepted command, when a rejection is expected, then thenThrows fails naming what was decided', () => {
    expect(() => {
      spec.given([created]).when({ userId, name: 'Lee' }).thenThrows(NameRequired);
    }).toThrow(/expected the command to be rejected, but it decided .*UserUpdated/);
  });

  it('given drafts, when folded, then evolve sees them numbered from 1 at the spec time', () => {
    spec.given([created, { eventType: 'UserUpdated', payload: { userId, name: 'Lee' } }]).thenState({
      names: ['Kim', 'Lee'],
      seen: ['1@2025-01-01T00:00:00.000Z', '2@2025-01-01T00:00:00.000Z'],
    });
  });

  it('given whole events, when folded, then they are used as they are', () => {
    const stored = createEvent<'UserCreated'>({
      eventId: randomUUID(),
      version: 1,
      occurredAt: '2024-05-06T07:08:09.000Z',
      correlationId: 'test',
      causationId: 'test',
      ...created,
    });

    spec.given([stored]).thenState({
      names: ['Kim'],
      seen: ['1@2024-05-06T07:08:09.000Z'],
    });
  });

  it('given a time in the when, when decided, then decide is told it rather than the spec time', () => {
    spec
      .given([])
      .when({ userId, name: 'Kim' }, { now: new Date('2031-02-03T00:00:00.000Z') })
      .then([{ eventType: 'UserCreated', payload: { userId, email: '2031@example.com', name: 'Kim', role: 'customer' } }]);
  });

  it('given a spec time, when decided without one, then decide is told the spec time', () => {
    deciderSpec(naming, { now: new Date('2029-12-31T23:00:00.000Z') })
      .given([])
      .when({ userId, name: 'Kim' })
      .then([{ eventType: 'UserCreated', payload: { userId, email: '2029@example.com', name: 'Kim', role: 'customer' } }]);
  });

  it('given an event of another aggregate, when folded, then the spec fails with a TypeError', () => {
    const orders = { ...naming, aggregateType: 'Order' } as unknown as typeof naming;

    expect(() => {
      deciderSpec(orders).given([created]).thenState({ names: [], seen: [] });
    }).toThrow(TypeError);
  });
});
