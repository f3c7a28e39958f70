import { mongoReadModel, rebuildReadModels, type RebuildResult } from '@msa/platform';
import { userService } from '../src/app.js';
import { profileReadModel, type ProfileDocument } from '../src/adapters/mongo/profile-read-model.js';
import { eventually, SERVER_TEST_TIMEOUT_MS, useUserService } from './support/service.js';

describe('User read model: projection from Kafka and rebuild from the event store', () => {
  const service = useUserService();
  const { api } = service;

  async function storedVersions(): Promise<Map<string, number>> {
    const versions = new Map<string, number>();
    for (const { event } of await service.storedEvents()) versions.set(event.aggregateId, Math.max(event.version, versions.get(event.aggregateId) ?? 0));
    return versions;
  }

  async function readModel(): Promise<ProfileDocument[]> {
    const collection = await mongoReadModel(service.mongo, profileReadModel).collection();
    return collection.find({}).sort({ _id: 1 }).toArray();
  }

  it('given registrations and updates, when the consumer has run, then the read model holds every user at its stream version', async () => {
    const tokens = await Promise.all(
      Array.from({ length: 12 }, (_, i) => service.registerAndLogIn(`reader${i}@example.com`, `Reader ${i}`)),
    );
    for (const [i, token] of tokens.slice(0, 6).entries()) {
      const patch = (body: object) => api().patch('/api/users/me').set('authorization', `Bearer ${token}`).send(body);
      expect((await patch({ name: `Reader ${i} renamed` })).status).toBe(200);
      expect((await patch({ phone: `+8210000000${String(i).padStart(2, '0')}` })).status).toBe(200);
    }

    const versions = await storedVersions();
    const documents = await eventually(async () => {
      const docs = await readModel();
      const caughtUp = docs.length === versions.size && docs.every((doc) => versions.get(doc._id) === doc.version);
      return caughtUp ? docs : undefined;
    });

    expect(documents).toHaveLength(12);
    expect(documents.filter((doc) => doc.version === 3).map((doc) => doc.name).sort()).toEqual(
      Array.from({ length: 6 }, (_, i) => `Reader ${i} renamed`),
    );
    expect(documents.find((doc) => doc.name === 'Reader 0 renamed')).toMatchObject({ phone: '+821000000000', role: 'customer' });
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a caught-up read model, when it is rebuilt from the event history, then the rebuilt collection equals it and serves', async () => {
    const before = await readModel();

    // As `main.js rebuild-read-model user_profiles` runs it, with the service's configuration.
    const progress: string[] = [];
    const [result] = (await rebuildReadModels(userService(), service.config, {
      readModel: 'user_profiles',
      logger: service.logger,
      progress: (line) => progress.push(line),
      retireAfterMs: 100,
    })) as [RebuildResult];

    expect(progress.at(-1)).toMatch(/^user_profiles: done, events applied: 24; user_profiles_rebuilt_\w+ serves, user_profiles dropped$/);
    expect(result.collection).toMatch(/^user_profiles_/);
    expect(result.events).toBe(24);
    const after = await readModel();
    expect(after).toEqual(before);
    const collections = await service.mongo.listCollections({}, { nameOnly: true }).toArray();
    expect(collections.map((c) => c.name)).not.toContain('user_profiles');
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a rebuilt read model, when a new user registers, then the live projection writes to the rebuilt collection', async () => {
    const email = 'after-rebuild@example.com';
    const token = await service.registerAndLogIn(email, 'Late');

    const me = await eventually(async () => {
      const res = await api().get('/api/users/me').set('authorization', `Bearer ${token}`);
      return res.status === 200 ? res : undefined;
    });

    expect(me.body).toMatchObject({ email, name: 'Late', version: 1 });
    expect(await readModel()).toHaveLength(13);
  }, SERVER_TEST_TIMEOUT_MS);
});
