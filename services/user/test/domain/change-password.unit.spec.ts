import type { ChangePassword, CurrentPasswordCheck } from '../../src/domain/decide.js';
import { CurrentPasswordIncorrect, UserNotFound, WeakPassword } from '../../src/domain/errors.js';
import { created, given, userId } from './fixtures.js';

function changePassword(currentPassword: CurrentPasswordCheck, newPassword = 'a whole new passphrase'): ChangePassword {
  return { type: 'ChangePassword', data: { userId, currentPassword, newPassword } };
}

describe('User: change password', () => {
  it('given a registered user, when the current password is right and the new one good, then UserPasswordChanged via change, with no secret', () => {
    given([created])
      .when(changePassword('correct'))
      .then([{ eventType: 'UserPasswordChanged', payload: { userId, via: 'change' } }]);
  });

  it('given a registered user, when the current password is wrong, then it is incorrect and nothing else is said', () => {
    given([created])
      .when(changePassword('incorrect', 'short'))
      .thenThrows(CurrentPasswordIncorrect, {
        message: 'the current password is incorrect',
        fields: [{ field: 'currentPassword', message: 'is incorrect' }],
      });
  });

  it('given a registered user, when no current password was given, then it is incorrect', () => {
    given([created])
      .when(changePassword('missing'))
      .thenThrows(CurrentPasswordIncorrect);
  });

  it('given a registered user, when the new password breaks the policy, then WeakPassword names newPassword', () => {
    given([created])
      .when(changePassword('correct', 'KIM@example.com'))
      .thenThrows(WeakPassword, {
        violations: ['SAME_AS_EMAIL'],
        fields: [{ field: 'newPassword', message: 'must not be the email address or its name part' }],
      });
  });

  it('given a user who changed their email, when the new password is the new address, then the policy checks the current address', () => {
    given([created, { eventType: 'UserUpdated', payload: { userId, email: 'minji@example.com' } }])
      .when(changePassword('correct', 'minji@example.com'))
      .thenThrows(WeakPassword, { violations: ['SAME_AS_EMAIL'] });
  });

  it('given no history, when a password is changed, then the user is not found', () => {
    given([])
      .when(changePassword('correct'))
      .thenThrows(UserNotFound, { userId });
  });
});
