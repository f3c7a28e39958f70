import { UserCreated, type UserRole } from '@msa/contracts';
import type { Decider, EventDraft } from '@msa/platform';
import type { z } from 'zod';
import {
  InvalidProfile,
  NothingToUpdate,
  type ProfileField,
  type ProfileFieldRejection,
  UserAlreadyRegistered,
  UserNotFound,
  WeakPassword,
} from './errors.js';
import { passwordViolations } from './password-policy.js';
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

/** Changes some of a user's profile fields; the role is not a profile field. */
export interface UpdateProfile {
  readonly type: 'UpdateProfile';
  readonly data: {
    readonly userId: string;
    readonly name?: string | undefined;
    readonly email?: string | undefined;
    readonly phone?: string | undefined;
  };
}

/** What can be asked of the User aggregate. */
export type UserCommand = RegisterUser | UpdateProfile;

/** What the User aggregate decides: the contract events without their envelope. */
type UserDraft = EventDraft<UserEvent>;

/**
 * Decides which events a command produces against the current state, or throws the rule it breaks.
 * Pure: the same command and state always give the same events.
 */
export function decide(command: UserCommand, state: UserState): UserDraft[] {
  switch (command.type) {
    case 'RegisterUser':
      return register(command.data, state);
    case 'UpdateProfile':
      return update(command.data, state);
    default:
      return assertNever(command);
  }
}

function register(data: RegisterUser['data'], state: UserState): UserDraft[] {
  if (state.status === 'registered') throw new UserAlreadyRegistered(data.userId);
  const { password, userId, role, ...fields } = data;
  const { email, name, phone } = valid(profileFields, fields);
  const violations = passwordViolations(password, email);
  if (violations.length > 0) throw new WeakPassword(violations);
  return [{ eventType: 'UserCreated', payload: { userId, email, name, role, ...(phone === undefined ? {} : { phone }) } }];
}

/**
 * Only fields that differ from the profile go into the event, so replaying history shows what really
 * changed; an update that changes nothing records nothing, which makes a repeated PATCH harmless.
 */
function update(data: UpdateProfile['data'], state: UserState): UserDraft[] {
  const { userId, ...fields } = data;
  if (state.status === 'absent') throw new UserNotFound(userId);
  const requested = (Object.keys(fields) as ProfileField[]).filter((field) => fields[field] !== undefined);
  if (requested.length === 0) throw new NothingToUpdate();
  const parsed = valid(profileFields.partial(), fields);
  const changed = changedFields(state.profile, parsed);
  if (Object.keys(changed).length === 0) return [];
  return [{ eventType: 'UserUpdated', payload: { userId, ...changed } }];
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
