import { initialState } from '../../src/domain/user.js';
import { created, given, userId } from './fixtures.js';

/** A reset request that occurred at `occurredAt`, as the store hands it back. */
function resetRequestedAt(occurredAt: string, version: number) {
  return {
    eventId: `00000000-0000-4000-8000-00000000010${version}`,
    eventType: 'PasswordResetRequested',
    aggregateType: 'User',
    aggregateId: userId,
    version,
    schemaVersion: 1,
    occurredAt,
    correlationId: 'spec',
    causationId: 'spec',
    payload: { userId, email: 'Kim@Example.com', name: 'Kim Minji', resetToken: 'a'.repeat(43), expiresAt: occurredAt },
  } as const;
}

describe('User: evolve', () => {
  it('given no events, when folded, then nobody is registered', () => {
    given([]).thenState(initialState());
  });

  it('given a creation and two updates, when folded, then the latest value of each field wins', () => {
    given([
      created,
      { eventType: 'UserUpdated', payload: { userId, name: 'Kim Min-ji', phone: '+821012345678' } },
      { eventType: 'UserUpdated', payload: { userId, phone: '+821099998888' } },
    ]).thenState({
      status: 'registered',
      profile: { userId, email: 'Kim@Example.com', name: 'Kim Min-ji', role: 'customer', phone: '+821099998888' },
      resetRequests: [],
    });
  });

  it('given four reset requests, when folded, then the state keeps the times of the latest three, oldest first', () => {
    given([
      created,
      resetRequestedAt('2025-01-01T08:00:00.000Z', 2),
      resetRequestedAt('2025-01-01T09:00:00.000Z', 3),
      resetRequestedAt('2025-01-01T10:00:00.000Z', 4),
      resetRequestedAt('2025-01-01T11:00:00.000Z', 5),
    ]).thenState({
      status: 'registered',
      profile: { userId, email: 'Kim@Example.com', name: 'Kim Minji', role: 'customer' },
      resetRequests: [new Date('2025-01-01T09:00:00.000Z'), new Date('2025-01-01T10:00:00.000Z'), new Date('2025-01-01T11:00:00.000Z')],
    });
  });

  it('given a password change, when folded, then the profile is as it was', () => {
    given([created, { eventType: 'UserPasswordChanged', payload: { userId, via: 'change' } }]).thenState({
      status: 'registered',
      profile: { userId, email: 'Kim@Example.com', name: 'Kim Minji', role: 'customer' },
      resetRequests: [],
    });
  });
});
