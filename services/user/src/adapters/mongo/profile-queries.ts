import type { ProfilePage, UserProfiles, VersionedProfile } from '../../ports.js';
import type { ProfileCollections, ProfileDocument } from './profile-collections.js';

function toVersionedProfile({ _id, version, email, name, role, phone }: ProfileDocument): VersionedProfile {
  return { version, profile: { userId: _id, email, name, role, ...(phone === undefined ? {} : { phone }) } };
}

/** The profile queries, served from the active read-model collection. */
export function profileQueries(collections: ProfileCollections): UserProfiles {
  return {
    async byId(userId) {
      const found = await (await collections.active()).findOne({ _id: userId });
      return found === null ? undefined : toVersionedProfile(found);
    },
    async page(page, pageSize): Promise<ProfilePage> {
      const collection = await collections.active();
      const [documents, total] = await Promise.all([
        collection
          .find({})
          .sort({ registeredAt: 1, _id: 1 })
          .skip((page - 1) * pageSize)
          .limit(pageSize)
          .toArray(),
        collection.countDocuments({}),
      ]);
      return { items: documents.map(toVersionedProfile), total };
    },
  };
}
