import type { UserCreated, UserRole, UserUpdated } from '@msa/contracts';
import type { ReadModelDefinition } from '@msa/platform';

/** One user's profile in the read model, as of stream version `version`. */
export interface ProfileDocument {
  /** The user id. */
  readonly _id: string;
  readonly version: number;
  readonly email: string;
  readonly name: string;
  readonly role: UserRole;
  readonly phone?: string;
  /** When the user registered (the UserCreated event's time); the listing's order. */
  readonly registeredAt: Date;
  /** The time of the last event applied. */
  readonly updatedAt: Date;
}

/** The events the profile read model is built from. */
export type ProfileEvent = UserCreated | UserUpdated;

/**
 * The `user_profiles` read model: each user event gives the whole next profile, so the live consumer
 * and a rebuild both write full documents, guarded by the stream version, from this one function.
 */
export const profileReadModel: ReadModelDefinition<ProfileDocument, ProfileEvent> = {
  name: 'user_profiles',
  handles: ['UserCreated', 'UserUpdated'],
  indexes: [{ name: 'registration_order', key: { registeredAt: 1, _id: 1 } }],
  evolve(profile, event) {
    const at = new Date(event.occurredAt);
    switch (event.eventType) {
      case 'UserCreated': {
        const { email, name, role, phone } = event.payload;
        return { email, name, role, ...(phone === undefined ? {} : { phone }), registeredAt: at, updatedAt: at };
      }
      case 'UserUpdated': {
        if (profile === undefined) return undefined;
        const { name, email, phone } = event.payload;
        return {
          ...profile,
          ...(name === undefined ? {} : { name }),
          ...(email === undefined ? {} : { email }),
          ...(phone === undefined ? {} : { phone }),
          updatedAt: at,
        };
      }
      default:
        return assertNever(event);
    }
  },
};

function assertNever(value: never): never {
  throw new Error(`unhandled profile event ${JSON.stringify(value)}`);
}
