import type { UserRole } from '@msa/contracts';
import type { Collection, Db } from 'mongodb';

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

/** The read model's logical name, and the collection it lives in until the first rebuild. */
export const PROFILES = 'user_profiles';
const META = 'read_model_meta';

/** Which physical collection currently serves a read model. */
interface ReadModelMeta {
  readonly _id: string;
  readonly collection: string;
  readonly rebuiltAt: Date;
}

/**
 * The read model's collections. A rebuild fills a fresh collection and then points a small meta
 * document at it, because FerretDB can neither rename over an existing collection nor run
 * multi-document transactions; one single-document update is the atomic switch. Readers and the
 * projection resolve the active collection on every use, so none keeps writing to a retired one.
 */
export interface ProfileCollections {
  /** The collection serving reads and projection writes now. */
  active(): Promise<Collection<ProfileDocument>>;
  /** A new, empty, indexed collection for a rebuild, not yet serving. */
  createFresh(suffix: string): Promise<Collection<ProfileDocument>>;
  /** Makes `collection` the active one and returns the one it replaced. */
  activate(collection: Collection<ProfileDocument>, now: Date): Promise<Collection<ProfileDocument>>;
  /** Creates the active collection's indexes; idempotent, run at start-up. */
  ensureIndexes(): Promise<void>;
}

/** The read model's collections in `db`. */
export function profileCollections(db: Db): ProfileCollections {
  const meta = db.collection<ReadModelMeta>(META);

  async function activeName(): Promise<string> {
    const found = await meta.findOne({ _id: PROFILES });
    return found?.collection ?? PROFILES;
  }

  async function indexed(collection: Collection<ProfileDocument>): Promise<Collection<ProfileDocument>> {
    await collection.createIndex({ registeredAt: 1, _id: 1 }, { name: 'registration_order' }, {});
    return collection;
  }

  async function active(): Promise<Collection<ProfileDocument>> {
    return db.collection<ProfileDocument>(await activeName());
  }

  return {
    active,
    async createFresh(suffix) {
      const name = `${PROFILES}_${suffix}`;
      await db.createCollection(name);
      return indexed(db.collection<ProfileDocument>(name));
    },
    async activate(collection, now) {
      const previous = await activeName();
      await meta.updateOne(
        { _id: PROFILES },
        { $set: { collection: collection.collectionName, rebuiltAt: now } },
        { upsert: true },
      );
      return db.collection<ProfileDocument>(previous);
    },
    async ensureIndexes() {
      await indexed(await active());
    },
  };
}
