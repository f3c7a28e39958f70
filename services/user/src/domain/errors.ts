import { AggregateAlreadyExists, AggregateNotFound, FieldsRefused, InvalidFields, ValueTaken } from '@msa/platform/domain';
import { type PasswordViolation, passwordViolationMessages } from './password-policy.js';

/** A profile field the domain validates. */
export type ProfileField = 'email' | 'name' | 'phone';

/** One profile field the domain refused, and why. */
export interface ProfileFieldRejection {
  readonly field: ProfileField;
  readonly message: string;
}

/** A profile field does not satisfy the user contract (an invalid email, a blank name): the kit's 400. */
export class InvalidProfile extends InvalidFields {
  constructor(override readonly fields: readonly ProfileFieldRejection[]) {
    super(fields);
  }
}

/** A profile update that names no field at all: the kit's 400 about the body as a whole. */
export class NothingToUpdate extends InvalidFields {
  constructor() {
    const message = 'an update must name at least one of name, email, phone';
    super([{ message }], message);
  }
}

/** The request field that carries a new password: `password` at registration, `newPassword` when it changes. */
export type NewPasswordField = 'password' | 'newPassword';

/** The password breaks the password policy; well-formed, so the kit's 422, not 400, naming each reason. */
export class WeakPassword extends FieldsRefused {
  constructor(
    readonly violations: readonly PasswordViolation[],
    field: NewPasswordField = 'password',
  ) {
    const messages = violations.map((v) => passwordViolationMessages[v]);
    super(messages.map((message) => ({ field, message })), `the password ${messages.join('; ')}`);
  }
}

/**
 * The current password given to confirm a change does not match: the kit's 422 naming
 * `currentPassword`, and nothing about the rest of the request.
 */
export class CurrentPasswordIncorrect extends FieldsRefused {
  constructor() {
    super([{ field: 'currentPassword', message: 'is incorrect' }], 'the current password is incorrect');
  }
}

/** An email change without the current password: the kit's 422 naming `currentPassword`. */
export class CurrentPasswordRequired extends FieldsRefused {
  constructor() {
    const message = 'is required to change the email address';
    super([{ field: 'currentPassword', message }], `the current password ${message}`);
  }
}

/**
 * A reset token that is unknown, expired or already used, one answer for all three (the kit's 400
 * naming `token`), so a caller learns nothing about tokens it does not hold.
 */
export class InvalidResetToken extends InvalidFields {
  constructor() {
    const message = 'is unknown, expired or already used';
    super([{ field: 'token', message }], `the reset token ${message}`);
  }
}

/** A registration on a stream that already holds a user: the kit's 409. */
export class UserAlreadyRegistered extends AggregateAlreadyExists {
  constructor(readonly userId: string) {
    super('user', userId, `user ${userId} is already registered`);
  }
}

/** A change to a user that was never registered: the kit's 404. */
export class UserNotFound extends AggregateNotFound {
  constructor(readonly userId: string) {
    super('user', userId);
  }
}

/**
 * The email address, compared case-insensitively, belongs to another account: the kit's 409 naming
 * it. Uniqueness spans users, so the storage adapter enforces it atomically with the append.
 */
export class EmailAlreadyRegistered extends ValueTaken {
  constructor() {
    super('email', 'the email address is already registered', 'is already registered');
  }
}
