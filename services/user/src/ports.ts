import type { CommandContext as HandlerContext } from '@msa/platform';
import type { RegisterUser } from './domain/decide.js';
import type { UserProfile } from './domain/user.js';

/**
 * The seams between the HTTP adapter and the storage adapters: the HTTP side speaks in these terms,
 * app.ts plugs in the PostgreSQL write side and the MongoDB read model.
 */

/** Where and when a command comes from, carried into every event it produces; the write side brings the transaction. */
export type CommandContext = Omit<HandlerContext, 'tx'>;

/** A user's profile at a stream version. */
export interface VersionedProfile {
  readonly profile: UserProfile;
  readonly version: number;
}

/** A profile change as the caller asks for it; the current password, when given, is checked against the stored hash. */
export interface ProfileChange {
  readonly userId: string;
  readonly name?: string | undefined;
  readonly email?: string | undefined;
  readonly phone?: string | undefined;
  readonly currentPassword?: string | undefined;
}

/** A signed-in user replacing their password. */
export interface PasswordChange {
  readonly userId: string;
  readonly currentPassword: string;
  readonly newPassword: string;
}

/** A reset link followed: the token it carried and the password to set. */
export interface PasswordReset {
  readonly token: string;
  readonly newPassword: string;
}

/** The write side: commands on the event store, plus the credentials kept beside it. */
export interface UserAccounts {
  /**
   * Registers a user: the event, the email reservation and the password hash commit together.
   *
   * @throws WeakPassword, InvalidProfile from the domain; EmailAlreadyRegistered when the address is taken.
   */
  register(command: RegisterUser, context: CommandContext): Promise<VersionedProfile>;
  /**
   * Changes a profile; an email change moves the reservation and retires open reset links in the
   * same transaction.
   *
   * @throws UserNotFound, NothingToUpdate, InvalidProfile, CurrentPasswordRequired, CurrentPasswordIncorrect; EmailAlreadyRegistered.
   */
  updateProfile(change: ProfileChange, context: CommandContext): Promise<VersionedProfile>;
  /**
   * Replaces the password: the new hash, the change's time and `UserPasswordChanged` commit together,
   * and open reset links stop working.
   *
   * @throws UserNotFound, CurrentPasswordIncorrect, WeakPassword (naming `newPassword`).
   */
  changePassword(change: PasswordChange, context: CommandContext): Promise<VersionedProfile>;
  /**
   * For an address that has an account, records `PasswordResetRequested` with a fresh single-use token
   * and keeps only the token's hash, unless the account's request limit is reached. Says nothing
   * about whether anything was sent.
   */
  requestPasswordReset(email: string, context: CommandContext): Promise<void>;
  /**
   * Sets the password a reset token allows: the hash, the token's use and `UserPasswordChanged`
   * commit together; of concurrent uses of one token exactly one succeeds.
   *
   * @throws InvalidResetToken, WeakPassword (naming `newPassword`).
   */
  resetPassword(reset: PasswordReset, context: CommandContext): Promise<void>;
  /** When the user's password last changed, or `undefined` if it never did (or there is no such user). */
  passwordChangedAt(userId: string): Promise<Date | undefined>;
  /**
   * `issue`'s answer for the user an email and password identify, or `undefined`. Takes the same time
   * whether the email is unknown or the password is wrong. `issue` (the token) runs once the password
   * verified, and its answer is given only if that password is still the account's afterwards: a
   * login racing a password change never hands out a token the change did not retire.
   */
  authenticate<T>(email: string, password: string, issue: (user: VersionedProfile) => Promise<T>): Promise<T | undefined>;
}

/** One page of profiles and how many there are in all. */
export interface ProfilePage {
  readonly items: readonly VersionedProfile[];
  readonly total: number;
}

/** The read side: queries on the profile read model, which trails the event store by moments. */
export interface UserProfiles {
  byId(userId: string): Promise<VersionedProfile | undefined>;
  /** Profiles in registration order; `page` counts from 1. */
  page(page: number, pageSize: number): Promise<ProfilePage>;
}
