import type { UserCreated, UserUpdated } from '@msa/contracts';
import { type EventHandlers, type ProjectionOutcome, type ProjectionWrite, versionedProjection } from '@msa/platform';
import type { Collection } from 'mongodb';
import type { ProfileCollections, ProfileDocument } from './profile-collections.js';

/** The events the profile read model is built from. */
export type ProfileEvent = UserCreated | UserUpdated;

/**
 * Applies one user event to `collection`, guarded by the stream version so a redelivered, replayed
 * or already-rebuilt event changes nothing. The same function serves the live consumer and the
 * rebuild; `write` is the PostgreSQL transaction in which the projection serializes writers of a document.
 */
export function projectProfile(
  collection: Collection<ProfileDocument>,
  event: ProfileEvent,
  write: ProjectionWrite,
): Promise<ProjectionOutcome> {
  const projection = versionedProjection(collection);
  const at = new Date(event.occurredAt);
  switch (event.eventType) {
    case 'UserCreated': {
      const { userId, email, name, role, phone } = event.payload;
      return projection.upsert(userId, event.version, {
        email,
        name,
        role,
        ...(phone === undefined ? {} : { phone }),
        registeredAt: at,
        updatedAt: at,
      }, write);
    }
    case 'UserUpdated': {
      const { userId, ...changed } = event.payload;
      return projection.update(userId, event.version, { $set: { ...changed, updatedAt: at } }, write);
    }
  }
}

/** The consumer handlers of the `user.read-model` group: each event lands in the active collection. */
export function profileHandlers(collections: ProfileCollections): EventHandlers {
  return {
    UserCreated: async (event, { tx }) => {
      await projectProfile(await collections.active(), event, { tx });
    },
    UserUpdated: async (event, { tx }) => {
      await projectProfile(await collections.active(), event, { tx });
    },
  };
}
