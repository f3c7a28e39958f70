import { InvalidProfile, UserAlreadyRegistered, WeakPassword } from '../../src/domain/errors.js';
import { created, given, register, userId } from './fixtures.js';

describe('User: register', () => {
  it('given no history, when a user registers, then UserCreated carries the profile and no password', () => {
    given([])
      .when(register())
      .then([created]);
  });

  it('given no history, when the phone is given as undefined, then the event has no phone field at all', () => {
    given([])
      .when(register({ phone: undefined }))
      .then([created]);
  });

  it('given no history, when a user registers with a phone, then the phone is in the profile', () => {
    given([])
      .when(register({ phone: '+821012345678' }))
      .then([{ eventType: 'UserCreated', payload: { ...created.payload, phone: '+821012345678' } }]);
  });

  it('given no history, when the name has surrounding spaces, then it is stored trimmed', () => {
    given([])
      .when(register({ name: '  Kim Minji ' }))
      .then([created]);
  });

  it('given no history, when an admin-listed address registers as admin, then the role is kept', () => {
    given([])
      .when(register({ role: 'admin' }))
      .then([{ eventType: 'UserCreated', payload: { ...created.payload, role: 'admin' } }]);
  });

  it('given a registered user, when the same stream registers again, then it is rejected', () => {
    given([created])
      .when(register({ email: 'other@example.com' }))
      .thenThrows(UserAlreadyRegistered, { userId });
  });

  it('given no history, when the email is invalid, then the email field is rejected', () => {
    given([])
      .when(register({ email: 'kim.example.com' }))
      .thenThrows(InvalidProfile, { fields: [{ field: 'email', message: 'Invalid email address' }] });
  });

  it('given no history, when the name is blank and the phone is not E.164, then both fields are rejected', () => {
    given([])
      .when(register({ name: '   ', phone: '010-1234-5678' }))
      .thenThrows(InvalidProfile, {
        fields: [expect.objectContaining({ field: 'name' }), expect.objectContaining({ field: 'phone' })],
      });
  });

  it('given no history, when the password is too short, then the password policy rejects it', () => {
    given([])
      .when(register({ password: 'short pass' }))
      .thenThrows(WeakPassword, { violations: ['TOO_SHORT'] });
  });

  it('given no history, when the password is the email address in another case, then it is rejected', () => {
    given([])
      .when(register({ email: 'minji.kim.1990@example.com', password: 'MINJI.KIM.1990@EXAMPLE.COM' }))
      .thenThrows(WeakPassword, { violations: ['SAME_AS_EMAIL'] });
  });

  it('given no history, when the password is a common password, then it is rejected', () => {
    given([])
      .when(register({ password: 'Password1234' }))
      .thenThrows(WeakPassword, { violations: ['COMMON_PASSWORD'] });
  });

  it('given an invalid email and a weak password, when registering, then the email is reported first', () => {
    given([])
      .when(register({ email: 'nope', password: 'x' }))
      .thenThrows(InvalidProfile);
  });
});
