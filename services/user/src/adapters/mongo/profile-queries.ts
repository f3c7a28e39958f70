import type { MongoReadModel } from '@msa/platform';
import type { ProfilePage, UserProfiles, VersionedProfile } from '../../ports.js';
import type { ProfileDocument, ProfileEvent } from './profile-read-model.js';

function toVersionedProfile({ _id, version, email, name, role, phone }: ProfileDocument): VersionedProfile {
  return { version, profile: { userId: _id, email, name, role, ...(phone === undefined ? {} : { phone }) } };
}

/** The profile queries, each served from the collection the read model's pointer names at the time. */
export function profileQueries(profiles: Pick<MongoReadModel<ProfileDocument, ProfileEvent>, 'collection'>): UserProfiles {
  return {
    async byId(userId) {
      const found = await (await profiles.collection()).findOne({ _id: userId });
      return found === null ? undefined : toVersionedProfile(found);
    },
    async page(page, pageSize): Promise<ProfilePage> {
      const collection = await profiles.collection();
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
