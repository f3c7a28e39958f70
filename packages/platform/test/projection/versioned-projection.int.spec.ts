import { createTestMongoDatabase, type TestMongoDatabase } from '@msa/local';
import { classifyError } from '../../src/consumer/index.js';
import { withTransaction } from '../../src/postgres/transaction.js';
import {
  ProjectionGapError,
  versionedProjection,
  type ProjectionOutcome,
  type ProjectionWrite,
  type VersionedDocument,
} from '../../src/projection/index.js';
import { unique } from '../consumer/fixture.js';
import { createPooledDatabase } from '../support/pooled-database.js';

interface Profile extends VersionedDocument {
  readonly email: string;
  readonly name: string;
  readonly logins?: number;
}

describe('versioned projection on the MongoDB-wire server', () => {
  let mongo: TestMongoDatabase;
  let database: Awaited<ReturnType<typeof createPooledDatabase>>;

  /** Runs one projection write in a transaction of its own, as a consumer handler would. */
  const inTx = (work: (write: ProjectionWrite) => Promise<ProjectionOutcome>) =>
    withTransaction(database.pool, (tx) => work({ tx }));

  const fresh = () => {
    const collection = mongo.db.collection<Profile>(unique('profiles', '_'));
    return { collection, projection: versionedProjection(collection) };
  };

  beforeAll(async () => {
    mongo = await createTestMongoDatabase('projection');
    database = await createPooledDatabase('projection');
  }, 60_000);
  afterAll(async () => {
    await mongo.drop();
    await database.drop();
  }, 60_000);

  it('given no document, when upserted at version 1, then it is created at version 1', async () => {
    const { collection, projection } = fresh();

    const outcome = await inTx((write) => projection.upsert('u1', 1, { email: 'kim@example.com', name: 'Kim' }, write));

    expect(outcome).toBe('applied');
    expect(await collection.findOne({ _id: 'u1' })).toEqual({ _id: 'u1', email: 'kim@example.com', name: 'Kim', version: 1 });
  });

  it('given a document at version 1, when the same upsert is delivered again, then it is stale and changes nothing', async () => {
    const { collection, projection } = fresh();
    await inTx((write) => projection.upsert('u1', 1, { email: 'kim@example.com', name: 'Kim' }, write));

    const again = await inTx((write) => projection.upsert('u1', 1, { email: 'changed@example.com', name: 'Changed' }, write));

    expect(again).toBe('stale');
    expect(await collection.findOne({ _id: 'u1' })).toEqual({ _id: 'u1', email: 'kim@example.com', name: 'Kim', version: 1 });
  });

  it('given a document at version 3, when an older update or upsert arrives, then both are stale and it keeps version 3', async () => {
    const { collection, projection } = fresh();
    await inTx((write) => projection.upsert('u1', 1, { email: 'kim@example.com', name: 'Kim' }, write));
    await inTx((write) => projection.update('u1', 3, { $set: { name: 'Kim Minji' } }, write));

    const olderUpdate = await inTx((write) => projection.update('u1', 2, { $set: { name: 'Kim M.' } }, write));
    const olderUpsert = await inTx((write) => projection.upsert('u1', 1, { email: 'kim@example.com', name: 'Kim' }, write));
    const sameUpdate = await inTx((write) => projection.update('u1', 3, { $set: { name: 'Kim Minji' }, $inc: { logins: 1 } }, write));

    expect([olderUpdate, olderUpsert, sameUpdate]).toEqual(['stale', 'stale', 'stale']);
    expect(await collection.findOne({ _id: 'u1' })).toEqual({ _id: 'u1', email: 'kim@example.com', name: 'Kim Minji', version: 3 });
  });

  it('given a newer update with several operators, when applied, then fields change, undefined ones stay, and the version is stamped in the same write', async () => {
    const { collection, projection } = fresh();
    await inTx((write) => projection.upsert('u1', 1, { email: 'kim@example.com', name: 'Kim', logins: 4 }, write));

    const outcome = await inTx((write) =>
      projection.update('u1', 2, { $unset: { logins: '' }, $set: { name: 'Kim Minji', email: undefined } }, write),
    );

    expect(outcome).toBe('applied');
    expect(await collection.findOne({ _id: 'u1' })).toEqual({ _id: 'u1', email: 'kim@example.com', name: 'Kim Minji', version: 2 });
  });

  it('given no document, when an update arrives before its creation, then a retriable gap error says so', async () => {
    const { projection } = fresh();

    const update = inTx((write) => projection.update('missing', 2, { $set: { name: 'Early' } }, write));

    await expect(update).rejects.toBeInstanceOf(ProjectionGapError);
    await expect(update.catch((error: unknown) => classifyError(error))).resolves.toMatchObject({
      retriable: true,
      errorClass: 'ProjectionGapError',
    });
  });

  it('given twenty concurrent upserts of one new document at one version, when they race, then exactly one applies', async () => {
    const { collection, projection } = fresh();

    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        inTx((write) => projection.upsert('race', 1, { email: 'race@example.com', name: `writer ${i}` }, write)),
      ),
    );

    expect(outcomes.filter((outcome) => outcome === 'applied')).toHaveLength(1);
    expect(await collection.countDocuments({ _id: 'race' })).toBe(1);
  });

  it('given concurrent writes of versions 1 to 10 in any order, when they race, then the document ends at version 10', async () => {
    const { collection, projection } = fresh();
    const versions = [7, 2, 10, 1, 5, 9, 3, 8, 4, 6];

    await Promise.all(
      versions.map((version) =>
        inTx((write) => projection.upsert('race', version, { email: 'race@example.com', name: `v${version}` }, write)),
      ),
    );
    await Promise.all(
      versions.map((version) => inTx((write) => projection.update('race', version + 10, { $set: { name: `v${version + 10}` } }, write))),
    );

    expect(await collection.findOne({ _id: 'race' })).toEqual({ _id: 'race', email: 'race@example.com', name: 'v20', version: 20 });
  });
});
