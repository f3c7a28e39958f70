import type { UserCreated, UserRole, UserUpdated } from '@msa/contracts';

/**
 * What the User aggregate decides and folds: the contract events without their envelope. The envelope
 * (ids, stream version, time, correlation) is added where events are stored, so the domain needs no
 * clock and no id generator, and a stored envelope event folds through the same `evolve`.
 */
export type UserEvent =
  | Pick<UserCreated, 'eventType' | 'payload'>
  | Pick<UserUpdated, 'eventType' | 'payload'>;

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
export const initialState: UserState = { status: 'absent' };

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
    default:
      return assertNever(event);
  }
}

/** Folds a whole stream, oldest event first. */
export function fold(events: readonly UserEvent[]): UserState {
  return events.reduce(evolve, initialState);
}

function assertNever(value: never): never {
  throw new Error(`unhandled user event ${JSON.stringify(value)}`);
}
