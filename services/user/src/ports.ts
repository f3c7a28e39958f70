import type { CommandContext as HandlerContext } from '@msa/platform';
import type { RegisterUser, UpdateProfile } from './domain/decide.js';
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

/** The write side: commands on the event store, plus the credentials kept beside it. */
export interface UserAccounts {
  /**
   * Registers a user: the event, the email reservation and the password hash commit together.
   *
   * @throws WeakPassword, InvalidProfile from the domain; EmailAlreadyRegistered when the address is taken.
   */
  register(command: RegisterUser, context: CommandContext): Promise<VersionedProfile>;
  /**
   * Changes a profile; an email change moves the reservation in the same transaction.
   *
   * @throws UserNotFound, NothingToUpdate, InvalidProfile; EmailAlreadyRegistered.
   */
  updateProfile(command: UpdateProfile, context: CommandContext): Promise<VersionedProfile>;
  /**
   * The user an email and password identify, or `undefined`. Takes the same time whether the email
   * is unknown or the password is wrong.
   */
  authenticate(email: string, password: string): Promise<VersionedProfile | undefined>;
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
