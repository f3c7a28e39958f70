import { randomUUID } from 'node:crypto';
import { createEvent, type DomainEvent } from '@msa/contracts';
import type { Decider } from '../../../src/event-store/decider.js';

/** A user profile event of `userId` at `version`: the creation first, updates after. */
export function userEvent(userId: string, version: number, at = '2025-03-01T09:30:00.000Z'): DomainEvent {
  const envelope = { eventId: randomUUID(), version, occurredAt: at, correlationId: 'test', causationId: 'test' };
  return version === 1
    ? createEvent({
        ...envelope,
        eventType: 'UserCreated',
        payload: { userId, email: `${userId}@example.com`, name: 'Kim Minji', role: 'customer' },
      })
    : createEvent({ ...envelope, eventType: 'UserUpdated', payload: { userId, name: `Kim ${version}` } });
}

/** `count` consecutive events of one user's stream, starting after `afterVersion`. */
export function userEvents(userId: string, count: number, afterVersion = 0): DomainEvent[] {
  return Array.from({ length: count }, (_, index) => userEvent(userId, afterVersion + index + 1));
}

interface Profile {
  readonly userId: string | undefined;
  readonly renames: number;
}

/** A tiny user aggregate: the first `Rename` creates the user, later ones rename them. */
export const profileDecider: Decider<Profile, { readonly userId: string; readonly name: string }, 'User'> = {
  aggregateType: 'User',
  initialState: () => ({ userId: undefined, renames: 0 }),
  evolve: (state, event) =>
    event.eventType === 'UserCreated'
      ? { userId: event.payload.userId, renames: 0 }
      : { ...state, renames: state.renames + 1 },
  decide: ({ userId, name }, state) =>
    state.userId === undefined
      ? [{ eventType: 'UserCreated', payload: { userId, email: `${userId}@example.com`, name, role: 'customer' } }]
      : [{ eventType: 'UserUpdated', payload: { userId, name } }],
};
