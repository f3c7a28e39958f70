import { UserCreated, type UserRole } from '@msa/contracts';
import type { DecisionContext, Decider, EventDraft } from '@msa/platform';
import type { z } from 'zod';
import {
  CurrentPasswordIncorrect,
  CurrentPasswordRequired,
  InvalidProfile,
  InvalidResetToken,
  type NewPasswordField,
  NothingToUpdate,
  type ProfileField,
  type ProfileFieldRejection,
  UserAlreadyRegistered,
  UserNotFound,
  WeakPassword,
} from './errors.js';
import { passwordViolations } from './password-policy.js';
import { resetRequestAllowed } from './password-reset.js';
import { evolve, initialState, type UserEvent, type UserProfile, type UserState } from './user.js';

/** Registers a new user on the stream `userId`. The password is checked here and hashed elsewhere. */
export interface RegisterUser {
  readonly type: 'RegisterUser';
  readonly data: {
    readonly userId: string;
    readonly email: string;
    readonly name: string;
    /** Decided by `roleAtRegistration`, never by the caller. */
    readonly role: UserRole;
    readonly phone?: string | undefined;
    readonly password: string;
  };
}

/**
 * What the write side found when it compared the current password the caller gave with the stored
 * hash (hashing is I/O, so it happens before `decide`): it matched, it did not, or none was given.
 */
export type CurrentPasswordCheck = 'correct' | 'incorrect' | 'missing';

/** Changes some of a user's profile fields; the role is not a profile field. An email change needs the current password. */
export interface UpdateProfile {
  readonly type: 'UpdateProfile';
  readonly data: {
    readonly userId: string;
    readonly name?: string | undefined;
    readonly email?: string | undefined;
    readonly phone?: string | undefined;
    readonly currentPassword: CurrentPasswordCheck;
  };
}

/** The user replaces their password, proving they know the current one. The new one is checked here and hashed elsewhere. */
export interface ChangePassword {
  readonly type: 'ChangePassword';
  readonly data: { readonly userId: string; readonly currentPassword: CurrentPasswordCheck; readonly newPassword: string };
}

/** Someone asked for a reset link for the user's address; `resetToken` is a fresh random secret. */
export interface RequestPasswordReset {
  readonly type: 'RequestPasswordReset';
  readonly data: { readonly userId: string; readonly resetToken: string; readonly ttlMs: number };
}

/** A reset link was followed: the token the write side found for it, and the new password. */
export interface ResetPassword {
  readonly type: 'ResetPassword';
  readonly data: {
    readonly userId: string;
    readonly resetToken: { readonly expiresAt: Date; readonly used: boolean };
    readonly newPassword: string;
  };
}

/** What can be asked of the User aggregate. */
export type UserCommand = RegisterUser | UpdateProfile | ChangePassword | RequestPasswordReset | ResetPassword;

/** What the User aggregate decides: the contract events without their envelope. */
type UserDraft = EventDraft<UserEvent>;

type RegisteredUser = Extract<UserState, { status: 'registered' }>;

/**
 * Decides which events a command produces against the current state, or throws the rule it breaks.
 * Pure: the same command and state always give the same events.
 */
export function decide(command: UserCommand, state: UserState, { now }: DecisionContext): UserDraft[] {
  switch (command.type) {
    case 'RegisterUser':
      return register(command.data, state);
    case 'UpdateProfile':
      return update(command.data, state);
    case 'ChangePassword':
      return changePassword(command.data, state);
    case 'RequestPasswordReset':
      return requestReset(command.data, state, now);
    case 'ResetPassword':
      return reset(command.data, state, now);
    default:
      return assertNever(command);
  }
}

function register(data: RegisterUser['data'], state: UserState): UserDraft[] {
  if (state.status === 'registered') throw new UserAlreadyRegistered(data.userId);
  const { password, userId, role, ...fields } = data;
  const { email, name, phone } = valid(profileFields, fields);
  refuseWeak(password, email, 'password');
  return [{ eventType: 'UserCreated', payload: { userId, email, name, role, ...(phone === undefined ? {} : { phone }) } }];
}

/**
 * Only fields that differ from the profile go into the event, so replaying history shows what really
 * changed; an update that changes nothing records nothing, which makes a repeated PATCH harmless.
 * A new address takes the current password: whoever holds a stolen token must not be able to move
 * the account (and its reset links) to an address of their own. A wrong current password is refused
 * even when nothing needed it, so the field never passes unchecked.
 */
function update(data: UpdateProfile['data'], state: UserState): UserDraft[] {
  const { userId, currentPassword, ...fields } = data;
  const { profile } = registered(state, userId);
  const requested = (Object.keys(fields) as ProfileField[]).filter((field) => fields[field] !== undefined);
  if (requested.length === 0) throw new NothingToUpdate();
  const parsed = valid(profileFields.partial(), fields);
  const changed = changedFields(profile, parsed);
  if (currentPassword === 'incorrect') throw new CurrentPasswordIncorrect();
  if (changed.email !== undefined && currentPassword === 'missing') throw new CurrentPasswordRequired();
  if (Object.keys(changed).length === 0) return [];
  return [{ eventType: 'UserUpdated', payload: { userId, ...changed } }];
}

function changePassword({ userId, currentPassword, newPassword }: ChangePassword['data'], state: UserState): UserDraft[] {
  const { profile } = registered(state, userId);
  if (currentPassword !== 'correct') throw new CurrentPasswordIncorrect();
  refuseWeak(newPassword, profile.email, 'newPassword');
  return [{ eventType: 'UserPasswordChanged', payload: { userId, via: 'change' } }];
}

/**
 * Past the request limit nothing is recorded, so nothing is mailed; the caller is answered as for
 * any other request, which is the route's concern.
 */
function requestReset({ userId, resetToken, ttlMs }: RequestPasswordReset['data'], state: UserState, now: Date): UserDraft[] {
  const { profile, resetRequests } = registered(state, userId);
  if (!resetRequestAllowed(resetRequests, now)) return [];
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
  const { email, name } = profile;
  return [{ eventType: 'PasswordResetRequested', payload: { userId, email, name, resetToken, expiresAt } }];
}

function reset({ userId, resetToken, newPassword }: ResetPassword['data'], state: UserState, now: Date): UserDraft[] {
  const { profile } = registered(state, userId);
  if (resetToken.used || resetToken.expiresAt.getTime() <= now.getTime()) throw new InvalidResetToken();
  refuseWeak(newPassword, profile.email, 'newPassword');
  return [{ eventType: 'UserPasswordChanged', payload: { userId, via: 'reset' } }];
}

function registered(state: UserState, userId: string): RegisteredUser {
  if (state.status === 'absent') throw new UserNotFound(userId);
  return state;
}

function refuseWeak(password: string, email: string, field: NewPasswordField): void {
  const violations = passwordViolations(password, email);
  if (violations.length > 0) throw new WeakPassword(violations, field);
}

/** The User aggregate for the platform's command handler. */
export const userDecider: Decider<UserState, UserCommand, 'User'> = { aggregateType: 'User', initialState, evolve, decide };

function changedFields(
  profile: UserProfile,
  requested: Readonly<Partial<Record<ProfileField, string | undefined>>>,
): Partial<Pick<UserProfile, ProfileField>> {
  const changed: Partial<Record<ProfileField, string>> = {};
  for (const field of ['name', 'email', 'phone'] as const) {
    const value = requested[field];
    if (value !== undefined && value !== profile[field]) changed[field] = value;
  }
  return changed;
}

/**
 * The profile fields a user supplies, with the contract's own schemas, so the domain and the event
 * agree on what is valid (and on trimming the name).
 */
const profileFields = UserCreated.payload.pick({ email: true, name: true, phone: true });

function valid<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: ProfileFieldRejection[] = result.error.issues.map((issue) => ({
    field: profileFields.keyof().parse(issue.path[0]),
    message: issue.message,
  }));
  throw new InvalidProfile(fields);
}

function assertNever(value: never): never {
  throw new Error(`unhandled user command ${JSON.stringify(value)}`);
}
