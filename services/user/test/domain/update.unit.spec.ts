import { CurrentPasswordIncorrect, CurrentPasswordRequired, InvalidProfile, NothingToUpdate, UserNotFound } from '../../src/domain/errors.js';
import type { UpdateProfile, UserCommand } from '../../src/domain/decide.js';
import { created, given, userId } from './fixtures.js';

/** A profile update; the current password was not given unless `changes` says how it compared. */
function update(changes: Partial<Omit<UpdateProfile['data'], 'userId'>>): UserCommand {
  return { type: 'UpdateProfile', data: { userId, currentPassword: 'missing', ...changes } };
}

describe('User: update profile', () => {
  it('given a registered user, when the name changes, then UserUpdated carries only the name', () => {
    given([created])
      .when(update({ name: 'Kim Min-ji' }))
      .then([{ eventType: 'UserUpdated', payload: { userId, name: 'Kim Min-ji' } }]);
  });

  it('given a registered user, when some requested fields equal the profile, then only the others are in the event', () => {
    given([created])
      .when(update({ name: 'Kim Minji', email: 'minji@example.com', phone: '+821012345678', currentPassword: 'correct' }))
      .then([{ eventType: 'UserUpdated', payload: { userId, email: 'minji@example.com', phone: '+821012345678' } }]);
  });

  it('given a registered user, when only the case of the email changes, then the new spelling is recorded', () => {
    given([created])
      .when(update({ email: 'kim@example.com', currentPassword: 'correct' }))
      .then([{ eventType: 'UserUpdated', payload: { userId, email: 'kim@example.com' } }]);
  });

  it('given a user updated before, when the update repeats the current values, then nothing is recorded', () => {
    given([created, { eventType: 'UserUpdated', payload: { userId, name: 'Kim Min-ji' } }])
      .when(update({ name: ' Kim Min-ji ' }))
      .then([]);
  });

  it('given no history, when a profile is updated, then the user is not found', () => {
    given([])
      .when(update({ name: 'Kim Min-ji' }))
      .thenThrows(UserNotFound, { userId });
  });

  it('given a registered user, when the update names no field, then it is rejected', () => {
    given([created])
      .when(update({}))
      .thenThrows(NothingToUpdate);
  });

  it('given a registered user, when the new email is invalid, then the email field is rejected', () => {
    given([created])
      .when(update({ email: 'not an address' }))
      .thenThrows(InvalidProfile, { fields: [expect.objectContaining({ field: 'email' })] });
  });

  it('given a registered user, when the email changes without the current password, then it is required', () => {
    given([created])
      .when(update({ email: 'minji@example.com' }))
      .thenThrows(CurrentPasswordRequired, { fields: [{ field: 'currentPassword', message: 'is required to change the email address' }] });
  });

  it('given a registered user, when the email changes with a wrong current password, then it is incorrect', () => {
    given([created])
      .when(update({ email: 'minji@example.com', currentPassword: 'incorrect' }))
      .thenThrows(CurrentPasswordIncorrect, { fields: [{ field: 'currentPassword', message: 'is incorrect' }] });
  });

  it('given a registered user, when the name and phone change without the current password, then no password is needed', () => {
    given([created])
      .when(update({ name: 'Kim Min-ji', phone: '+821012345678' }))
      .then([{ eventType: 'UserUpdated', payload: { userId, name: 'Kim Min-ji', phone: '+821012345678' } }]);
  });

  it('given a registered user, when the name changes with a wrong current password, then the wrong password is refused anyway', () => {
    given([created])
      .when(update({ name: 'Kim Min-ji', currentPassword: 'incorrect' }))
      .thenThrows(CurrentPasswordIncorrect);
  });

  it('given a registered user, when the email is repeated as it is without a password, then nothing is recorded and none is asked for', () => {
    given([created])
      .when(update({ email: 'Kim@Example.com' }))
      .then([]);
  });
});
