import type { RequestPasswordReset, ResetPassword } from '../../src/domain/decide.js';
import { InvalidResetToken, UserNotFound, WeakPassword } from '../../src/domain/errors.js';
import { created, given, userId } from './fixtures.js';

/** The spec's time, at which every given draft occurred. */
const now = new Date('2025-01-01T00:00:00.000Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);
const resetToken = 'Zm9yIHRoZSBzcGVjIG9ubHksIDMyIGJ5dGVzIGxvbmc';

function requestReset(): RequestPasswordReset {
  return { type: 'RequestPasswordReset', data: { userId, resetToken, ttlMs: 30 * 60_000 } };
}

function resetPassword(token: ResetPassword['data']['resetToken'], newPassword = 'a whole new passphrase'): ResetPassword {
  return { type: 'ResetPassword', data: { userId, resetToken: token, newPassword } };
}

const requested = {
  eventType: 'PasswordResetRequested',
  payload: { userId, email: 'Kim@Example.com', name: 'Kim Minji', resetToken, expiresAt: minutes(30).toISOString() },
} as const;

describe('User: request a password reset', () => {
  it('given a registered user, when a reset is requested, then PasswordResetRequested carries the address, name, token and expiry', () => {
    given([created])
      .when(requestReset())
      .then([requested]);
  });

  it('given a user who changed their email, when a reset is requested, then the link goes to the current address', () => {
    given([created, { eventType: 'UserUpdated', payload: { userId, email: 'minji@example.com', name: 'Minji' } }])
      .when(requestReset())
      .then([{ ...requested, payload: { ...requested.payload, email: 'minji@example.com', name: 'Minji' } }]);
  });

  it('given two requests within the hour, when a third is asked, then it is recorded', () => {
    given([created, requested, requested])
      .when(requestReset(), { now: minutes(59) })
      .then([{ ...requested, payload: { ...requested.payload, expiresAt: minutes(89).toISOString() } }]);
  });

  it('given three requests within the hour, when a fourth is asked, then nothing is recorded and nothing sent', () => {
    given([created, requested, requested, requested])
      .when(requestReset(), { now: minutes(59) })
      .then([]);
  });

  it('given three requests an hour ago, when another is asked, then the window has passed and it is recorded', () => {
    given([created, requested, requested, requested])
      .when(requestReset(), { now: minutes(60) })
      .then([{ ...requested, payload: { ...requested.payload, expiresAt: minutes(90).toISOString() } }]);
  });

  it('given no history, when a reset is requested, then the user is not found', () => {
    given([])
      .when(requestReset())
      .thenThrows(UserNotFound, { userId });
  });
});

describe('User: reset the password with a token', () => {
  it('given an open token, when it is used before it expires, then UserPasswordChanged via reset', () => {
    given([created, requested])
      .when(resetPassword({ expiresAt: minutes(30), used: false }), { now: minutes(29) })
      .then([{ eventType: 'UserPasswordChanged', payload: { userId, via: 'reset' } }]);
  });

  it('given a token, when it is used at its expiry, then it is invalid, named as token', () => {
    given([created, requested])
      .when(resetPassword({ expiresAt: minutes(30), used: false }), { now: minutes(30) })
      .thenThrows(InvalidResetToken, { fields: [{ field: 'token', message: 'is unknown, expired or already used' }] });
  });

  it('given a used token, when it is used again, then it is invalid, with the same words', () => {
    given([created, requested])
      .when(resetPassword({ expiresAt: minutes(30), used: true }))
      .thenThrows(InvalidResetToken, { fields: [{ field: 'token', message: 'is unknown, expired or already used' }] });
  });

  it('given an open token, when the new password breaks the policy, then WeakPassword names newPassword', () => {
    given([created, requested])
      .when(resetPassword({ expiresAt: minutes(30), used: false }, 'zzzzzzzzzzzzzz'))
      .thenThrows(WeakPassword, { fields: [{ field: 'newPassword', message: 'must not be one character repeated' }] });
  });

  it('given an expired token and a weak password, when used, then the token is what is reported', () => {
    given([created, requested])
      .when(resetPassword({ expiresAt: minutes(30), used: false }, 'x'), { now: minutes(31) })
      .thenThrows(InvalidResetToken);
  });
});
