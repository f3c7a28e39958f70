import { MongoServerError, type Collection } from 'mongodb';
import { createTestMongoDatabase, type TestMongoDatabase } from '../src/index.js';

interface Profile {
  _id: string;
  email: string;
  version: number;
}

describe('MongoDB-wire (FerretDB) smoke', () => {
  let mongo: TestMongoDatabase;
  let profiles: Collection<Profile>;

  beforeAll(async () => {
    mongo = await createTestMongoDatabase('smoke');
    profiles = mongo.db.collection<Profile>('profiles');
  });
  afterAll(async () => {
    await mongo.drop();
  });

  it('given a unique index, when a duplicate is inserted, then the server rejects it', async () => {
    await profiles.createIndex({ email: 1 }, { unique: true }, {});
    await profiles.insertOne({ _id: 'u1', email: 'a@example.com', version: 1 });

    const duplicate = profiles.insertOne({ _id: 'u2', email: 'a@example.com', version: 1 });

    await expect(duplicate).rejects.toBeInstanceOf(MongoServerError);
    await expect(duplicate).rejects.toMatchObject({ code: 11000 });
  });

  it('given a stored revision, when an upsert filters on an older one, then nothing changes', async () => {
    await profiles.updateOne(
      { _id: 'u3' },
      { $set: { email: 'b@example.com', version: 2 } },
      { upsert: true },
    );

    const stale = await profiles.updateOne({ _id: 'u3', version: { $lt: 2 } }, { $set: { version: 1 } });
    const fresh = await profiles.updateOne({ _id: 'u3', version: { $lt: 3 } }, { $set: { version: 3 } });

    expect(stale.modifiedCount).toBe(0);
    expect(fresh.modifiedCount).toBe(1);
    expect(await profiles.findOne({ _id: 'u3' })).toEqual({ _id: 'u3', email: 'b@example.com', version: 3 });
    expect(await profiles.countDocuments({})).toBe(2);
  });
});
