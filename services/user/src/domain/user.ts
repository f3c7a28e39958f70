import type { PasswordResetRequested, UserCreated, UserPasswordChanged, UserRole, UserUpdated } from '@msa/contracts';

/** The User aggregate's events, as the contracts define them; the domain decides their drafts. */
export type UserEvent = UserCreated | UserUpdated | UserPasswordChanged | PasswordResetRequested;

/** The event stream of one user. */
export function userStream(userId: string): string {
  return `user-${userId}`;
}

/** A registered user's profile as the event history defines it. */
export interface UserProfile {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly role: UserRole;
  readonly phone?: string;
}

/** The User aggregate: nobody registered on this stream yet, or a registered profile. */
export type UserState =
  | { readonly status: 'absent' }
  | { readonly status: 'registered'; readonly profile: UserProfile };

/** The state of a stream with no events. */
export const initialState = (): UserState => ({ status: 'absent' });

/** Applies one event to the state. Events are facts, so evolve never rejects; decide already did. */
export function evolve(state: UserState, event: UserEvent): UserState {
  switch (event.eventType) {
    case 'UserCreated': {
      const { userId, email, name, role, phone } = event.payload;
      return { status: 'registered', profile: { userId, email, name, role, ...(phone === undefined ? {} : { phone }) } };
    }
    case 'UserUpdated': {
      if (state.status === 'absent') return state;
      const { name, email, phone } = event.payload;
      return {
        status: 'registered',
        profile: {
          ...state.profile,
          ...(name === undefined ? {} : { name }),
          ...(email === undefined ? {} : { email }),
          ...(phone === undefined ? {} : { phone }),
        },
      };
    }
    // Credentials live beside the stream, in the write side's own table; these events leave the
    // profile as it was.
    case 'UserPasswordChanged':
    case 'PasswordResetRequested':
      return state;
    default:
      return assertNever(event);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled user event ${JSON.stringify(value)}`);
}
