import { type PasswordViolation, passwordViolationMessages } from './password-policy.js';

/** A profile field the domain validates. */
export type ProfileField = 'email' | 'name' | 'phone';

/** One field the domain refused, and why. */
export interface FieldRejection {
  readonly field: ProfileField | 'password';
  readonly message: string;
}

/** Base of every rule the User aggregate enforces; only the HTTP adapter maps these to statuses. */
export abstract class UserRejected extends Error {}

/** A profile field does not satisfy the user contract (an invalid email, a blank name). */
export class InvalidProfile extends UserRejected {
  override readonly name = 'InvalidProfile';

  constructor(readonly fields: readonly FieldRejection[]) {
    super(`invalid ${fields.map((f) => f.field).join(', ')}`);
  }
}

/** The password breaks the password policy. */
export class WeakPassword extends UserRejected {
  override readonly name = 'WeakPassword';
  readonly fields: readonly FieldRejection[];

  constructor(readonly violations: readonly PasswordViolation[]) {
    super(`the password ${violations.map((v) => passwordViolationMessages[v]).join('; ')}`);
    this.fields = violations.map((v) => ({ field: 'password', message: passwordViolationMessages[v] }));
  }
}

/** A registration on a stream that already holds a user. */
export class UserAlreadyRegistered extends UserRejected {
  override readonly name = 'UserAlreadyRegistered';

  constructor(readonly userId: string) {
    super(`user ${userId} is already registered`);
  }
}

/** A change to a user that was never registered. */
export class UserNotFound extends UserRejected {
  override readonly name = 'UserNotFound';

  constructor(readonly userId: string) {
    super(`user ${userId} does not exist`);
  }
}

/** A profile update that names no field at all. */
export class NothingToUpdate extends UserRejected {
  override readonly name = 'NothingToUpdate';

  constructor() {
    super('an update must name at least one of name, email, phone');
  }
}

/**
 * The email address, compared case-insensitively, belongs to another account. Uniqueness spans users,
 * so the storage adapter enforces it atomically with the append and reports it in domain terms.
 */
export class EmailAlreadyRegistered extends UserRejected {
  override readonly name = 'EmailAlreadyRegistered';

  constructor() {
    super('the email address is already registered');
  }
}
