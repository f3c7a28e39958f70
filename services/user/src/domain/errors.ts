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

/** The password breaks the password policy; well-formed, so the kit's 422, not 400, naming each reason. */
export class WeakPassword extends FieldsRefused {
  constructor(readonly violations: readonly PasswordViolation[]) {
    const messages = violations.map((v) => passwordViolationMessages[v]);
    super(messages.map((message) => ({ field: 'password', message })), `the password ${messages.join('; ')}`);
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
