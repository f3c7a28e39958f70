import { type EventStore, type Logger, withTransaction } from '@msa/platform';
import type { Collection } from 'mongodb';
import type pg from 'pg';
import type { ProfileCollections, ProfileDocument } from './profile-collections.js';
import { projectProfile } from './profile-projection.js';

/** Options for `rebuildProfiles`. */
export interface RebuildOptions {
  readonly store: EventStore;
  /** The event store's database, where the projection serializes its writers. */
  readonly pool: pg.Pool;
  readonly collections: ProfileCollections;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** Events read from the global log at a time. @default 1000 */
  readonly batchSize?: number;
}

/** What a rebuild did. */
export interface RebuildResult {
  /** The collection now serving the read model. */
  readonly collection: string;
  /** User events applied, including those of the catch-up after the switch. */
  readonly events: number;
}

/**
 * Rebuilds the profile read model from the event store's global log: replays every user event into a
 * fresh collection, switches reads and the live projection to it, replays once more from where it
 * stopped (catching what the consumer wrote to the old collection meanwhile; the version guard makes
 * overlaps harmless), then drops the old collection. Run one rebuild at a time.
 */
export async function rebuildProfiles({
  store,
  pool,
  collections,
  logger,
  now = () => new Date(),
  batchSize = 1_000,
}: RebuildOptions): Promise<RebuildResult> {
  const log = logger.child({ component: 'rebuild-read-model' });
  const started = now();
  const fresh = await collections.createFresh(started.getTime().toString(36));
  log.info({ collection: fresh.collectionName }, 'replaying the event log into a fresh collection');
  const first = await replay({ store, pool, collection: fresh, batchSize }, 0);
  const previous = await collections.activate(fresh, now());
  log.info({ collection: fresh.collectionName, events: first.events }, 'switched the read model to the rebuilt collection');
  const catchUp = await replay({ store, pool, collection: fresh, batchSize }, first.position);
  if (previous.collectionName !== fresh.collectionName) await previous.drop();
  const events = first.events + catchUp.events;
  log.info({ collection: fresh.collectionName, events, dropped: previous.collectionName }, 'rebuild complete');
  return { collection: fresh.collectionName, events };
}

interface ReplayTarget {
  readonly store: EventStore;
  readonly pool: pg.Pool;
  readonly collection: Collection<ProfileDocument>;
  readonly batchSize: number;
}

/** Applies every user event after `afterPosition`, a batch per transaction, and says where it stopped. */
async function replay(
  { store, pool, collection, batchSize }: ReplayTarget,
  afterPosition: number,
): Promise<{ position: number; events: number }> {
  let position = afterPosition;
  let events = 0;
  for (;;) {
    const batch = await store.readAll(position, batchSize);
    events += await withTransaction(pool, async (tx) => {
      let applied = 0;
      for (const { event } of batch) {
        if (event.eventType !== 'UserCreated' && event.eventType !== 'UserUpdated') continue;
        await projectProfile(collection, event, { tx });
        applied += 1;
      }
      return applied;
    });
    const last = batch.at(-1);
    if (last === undefined) return { position, events };
    position = last.position;
  }
}
