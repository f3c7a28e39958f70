import { setTimeout as sleep } from 'node:timers/promises';
import { type EventStore, mongoReadModel, RebuildInProgressError } from '@msa/platform';
import { profileReadModel } from '../src/adapters/mongo/profile-read-model.js';
import { eventually, SERVER_TEST_TIMEOUT_MS, useUserService } from './support/service.js';

interface ProfileBody {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly phone?: string;
  readonly version: number;
}

/** A promise one side settles by hand and the other awaits, to order the rebuild and the test. */
function signal(): { readonly sent: Promise<void>; send(): void } {
  let send = (): void => undefined;
  const sent = new Promise<void>((resolve) => {
    send = resolve;
  });
  return { sent, send };
}

describe('User read model rebuild under live traffic', () => {
  const service = useUserService();
  const { api } = service;

  const profiles = () => mongoReadModel(service.mongo, profileReadModel);

  function rebuild(store: EventStore = service.store, batchSize?: number) {
    return profiles().rebuild({
      store,
      pool: service.pool,
      logger: service.logger,
      retireAfterMs: 100,
      ...(batchSize === undefined ? {} : { batchSize }),
    });
  }

  /** The collection the read model's pointer names now. */
  async function activeCollection(): Promise<string> {
    return (await profiles().collection()).collectionName;
  }

  /** A registered user's token, once the read model serves their profile. */
  async function registered(email: string): Promise<string> {
    const token = await service.registerAndLogIn(email);
    await profileAt(token, 1);
    return token;
  }

  async function patch(token: string, body: object): Promise<ProfileBody> {
    const res = await api().patch('/api/users/me').set('authorization', `Bearer ${token}`).send(body);
    expect(res.status).toBe(200);
    return res.body as ProfileBody;
  }

  async function me(token: string): Promise<ProfileBody | undefined> {
    const res = await api().get('/api/users/me').set('authorization', `Bearer ${token}`);
    return res.status === 200 ? (res.body as ProfileBody) : undefined;
  }

  /** The profile the read model serves once it reflects `version` or later. */
  function profileAt(token: string, version: number): Promise<ProfileBody> {
    return eventually(async () => {
      const profile = await me(token);
      return profile !== undefined && profile.version >= version ? profile : undefined;
    });
  }

  it('given an update projected into the old collection just before the switch and a later one after it, when the rebuild ends, then the profile has both', async () => {
    const token = await registered('lost@example.com');
    const serving = await activeCollection();
    const steps = { beforeSwitch: false, afterSwitch: false };
    // The rebuild reads the event log through this store, one event at a time so that the end of a
    // replay is an empty batch; its reads are where the test steps in.
    const store: EventStore = {
      ...service.store,
      async readAll(afterPosition, limit) {
        const batch = await service.store.readAll(afterPosition, limit);
        if (!steps.beforeSwitch && batch.length === 0) {
          // The replay has reached the end of the log: the next update lands in the serving collection.
          steps.beforeSwitch = true;
          await patch(token, { phone: '+821012345678' });
          await profileAt(token, 2);
        } else if (steps.beforeSwitch && !steps.afterSwitch && (await activeCollection()) !== serving) {
          // Switched: a later update lands in the rebuilt collection before the rebuild reads on.
          steps.afterSwitch = true;
          await patch(token, { name: 'Renamed' });
          await profileAt(token, 3);
          return service.store.readAll(afterPosition, limit);
        }
        return batch;
      },
    };

    await rebuild(store, 1);
    if (!steps.afterSwitch) await patch(token, { name: 'Renamed' });

    expect(steps.beforeSwitch).toBe(true);
    expect(await profileAt(token, 3)).toMatchObject({ name: 'Renamed', phone: '+821012345678', version: 3 });
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a rebuild in progress, when a second one starts, then it is refused and the first completes', async () => {
    await registered('twice@example.com');
    const released = signal();
    const reading = signal();
    const held: EventStore = {
      ...service.store,
      async readAll(afterPosition, limit) {
        reading.send();
        await released.sent;
        return service.store.readAll(afterPosition, limit);
      },
    };
    const first = rebuild(held);
    await reading.sent;

    const second = rebuild();

    await expect(second).rejects.toBeInstanceOf(RebuildInProgressError);
    await expect(second).rejects.toThrow('a rebuild of user_profiles is already running: another session holds its rebuild lock');
    released.send();
    expect((await first).collection).toMatch(/^user_profiles_/);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given live updates and readers during a rebuild, when it ends, then no reader saw a profile go back and each serves its last update', async () => {
    const tokens = await Promise.all(Array.from({ length: 4 }, (_, i) => registered(`live${i}@example.com`)));
    const latest = new Map<string, ProfileBody>();
    const seen = new Map<string, number>();
    const regressions: string[] = [];
    let running = true;

    const updating = Promise.all(
      tokens.map(async (token, i) => {
        // Bounded, so even a rebuild that only ends once the log stops growing ends.
        for (let round = 0; running && round < 40; round += 1) {
          const profile = await patch(token, { name: `Live ${i} round ${round}` });
          latest.set(token, profile);
          await sleep(30);
        }
      }),
    );
    const reading = Promise.all(
      tokens.map(async (token) => {
        while (running) {
          const version = (await me(token))?.version ?? 0;
          const before = seen.get(token) ?? 0;
          if (version < before) regressions.push(`${token.slice(-8)}: version ${before}, then ${version}`);
          seen.set(token, Math.max(before, version));
        }
      }),
    );
    // A slow replay, a few events at a time, so the live traffic runs through all of it.
    const slow: EventStore = {
      ...service.store,
      async readAll(afterPosition, limit) {
        await sleep(10);
        return service.store.readAll(afterPosition, limit);
      },
    };

    await rebuild(slow, 3);
    await sleep(300);
    running = false;
    await Promise.all([updating, reading]);

    expect(regressions).toEqual([]);
    for (const token of tokens) {
      const last = latest.get(token);
      expect(last).toBeDefined();
      expect(await profileAt(token, last?.version ?? 0)).toEqual(last);
    }
  }, SERVER_TEST_TIMEOUT_MS);
});
