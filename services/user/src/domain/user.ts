import type { PasswordResetRequested, UserCreated, UserPasswordChanged, UserRole, UserUpdated } from '@msa/contracts';
import { RESET_REQUESTS_PER_WINDOW } from './password-reset.js';

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

/**
 * The User aggregate: nobody registered on this stream yet, or a registered profile with the times of
 * its latest password reset requests (oldest first, as many as the request limit looks at).
 */
export type UserState =
  | { readonly status: 'absent' }
  | { readonly status: 'registered'; readonly profile: UserProfile; readonly resetRequests: readonly Date[] };

/** The state of a stream with no events. */
export const initialState = (): UserState => ({ status: 'absent' });

/** Applies one event to the state. Events are facts, so evolve never rejects; decide already did. */
export function evolve(state: UserState, event: UserEvent): UserState {
  switch (event.eventType) {
    case 'UserCreated': {
      const { userId, email, name, role, phone } = event.payload;
      return {
        status: 'registered',
        profile: { userId, email, name, role, ...(phone === undefined ? {} : { phone }) },
        resetRequests: [],
      };
    }
    case 'UserUpdated': {
      if (state.status === 'absent') return state;
      const { name, email, phone } = event.payload;
      return {
        ...state,
        profile: {
          ...state.profile,
          ...(name === undefined ? {} : { name }),
          ...(email === undefined ? {} : { email }),
          ...(phone === undefined ? {} : { phone }),
        },
      };
    }
    case 'PasswordResetRequested': {
      if (state.status === 'absent') return state;
      const resetRequests = [...state.resetRequests, new Date(event.occurredAt)].slice(-RESET_REQUESTS_PER_WINDOW);
      return { ...state, resetRequests };
    }
    // The password hash lives beside the stream, in the write side's own table.
    case 'UserPasswordChanged':
      return state;
    default:
      return assertNever(event);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled user event ${JSON.stringify(value)}`);
}
