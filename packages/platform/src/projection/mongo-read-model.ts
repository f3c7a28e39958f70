import type { DomainEvent } from '@msa/contracts';
import type { Collection, Db } from 'mongodb';
import { NonRetriableError } from '../consumer/errors.js';
import type { EventHandler, EventHandlers } from '../consumer/handlers.js';
import { isMongoUnavailable } from '../mongo/unavailable.js';
import { applyEvent } from './documents.js';
import { ReadModelUnavailableError } from './errors.js';
import { readModelPointer } from './pointer.js';
import { isHandledBy, type ReadModelDefinition } from './read-model.js';
import { rebuildReadModel, type RebuildOptions, type RebuildResult } from './rebuild.js';
import type { StreamHistory } from './stream-history.js';
import type { ProjectionOutcome, ProjectionWrite, VersionedDocument } from './versioned-document.js';

/** A read model on a MongoDB database: its reads, its live projection and its rebuild. */
export interface MongoReadModel<D extends VersionedDocument, E extends DomainEvent> {
  /** The collection serving reads now; look it up for each read, since a rebuild switches it. */
  collection(): Promise<Collection<D>>;
  /**
   * Applies one event to the serving collection, version-guarded: `stale` when the document already
   * reflects it. `write.tx` is where writers of a document take turns, and where a rebuild finds out
   * that a write is in flight, so pass the consumer handler's transaction.
   *
   * @throws ProjectionGapError (retriable) when the event needs a document that does not exist yet and
   * the event store (`history`) cannot supply the events before it.
   * @throws ReadModelUnavailableError (retriable) when MongoDB did not answer within the client's bound.
   */
  project(event: E, write: ProjectionWrite): Promise<ProjectionOutcome>;
  /** Consumer handlers that project each handled event type. */
  handlers(): EventHandlers;
  /** Creates the serving collection's indexes; idempotent, run at start-up. */
  ensureIndexes(): Promise<void>;
  /**
   * Rebuilds the read model from the event log into a fresh collection while the service runs, and
   * switches readers and the live projection to it.
   *
   * @throws RebuildInProgressError when another rebuild of it is running.
   */
  rebuild(options: RebuildOptions): Promise<RebuildResult>;
}

/** Options for `mongoReadModel`. */
export interface MongoReadModelOptions {
  /**
   * Where the live projection reads the events before one that overtook them (an update delivered
   * before its creation): the service's own event store. Without it such an event is a retriable
   * `ProjectionGapError`, as it must stay for a read model of another service's events.
   */
  readonly history?: StreamHistory;
}

/** The read model `definition` describes, kept in `db`. Nothing is read or written until used. */
export function mongoReadModel<D extends VersionedDocument, E extends DomainEvent>(
  db: Db,
  definition: ReadModelDefinition<D, E>,
  { history }: MongoReadModelOptions = {},
): MongoReadModel<D, E> {
  const { name } = definition;
  const pointer = readModelPointer(db, name);
  const space = `${db.databaseName}.${name}`;
  const writersLock = `read-model-writers:${space}`;
  const rebuildLock = `read-model-rebuild:${space}`;

  async function indexed(collection: Collection<D>): Promise<Collection<D>> {
    for (const { name: index, key } of definition.indexes ?? []) {
      const fields = Object.entries(key).filter((field): field is [string, 1 | -1] => field[1] !== undefined);
      await collection.createIndex(Object.fromEntries(fields), { name: index }, {});
    }
    return collection;
  }

  async function collection(): Promise<Collection<D>> {
    return db.collection<D>(await pointer.active());
  }

  async function project(event: E, { tx }: ProjectionWrite): Promise<ProjectionOutcome> {
    try {
      // Shared among live writers, taken alone by a rebuild's switch, held until `tx` ends. Looking
      // the pointer up only once it is held means no write can reach a collection switched away from.
      await tx.client.query('select pg_advisory_xact_lock_shared(hashtext($1))', [writersLock]);
      const serving = await collection();
      await tx.client.query('select pg_advisory_xact_lock(hashtext($1), hashtext($2))', [
        `${db.databaseName}.${serving.collectionName}`,
        event.aggregateId,
      ]);
      const earlier =
        history &&
        (async (afterVersion: number) => (await history.upTo(event, afterVersion, tx))?.filter((each) => isHandledBy<E>(definition, each)));
      return await applyEvent(serving, definition, event, earlier);
    } catch (error) {
      if (!isMongoUnavailable(error)) throw error;
      const what = `${event.eventType} ${event.aggregateId} version ${event.version}`;
      throw new ReadModelUnavailableError(`read model ${name}: MongoDB did not answer while projecting ${what}: ${error.message}`, {
        cause: error,
      });
    }
  }

  const handler: EventHandler = async (event, { tx }) => {
    if (!isHandledBy<E>(definition, event)) throw new NonRetriableError(`read model ${name} does not handle ${event.eventType}`);
    await project(event, { tx });
  };

  return {
    collection,
    project,
    handlers() {
      // One handler serves every handled type and checks the type it is given.
      return Object.fromEntries(definition.handles.map((type) => [type, handler]));
    },
    async ensureIndexes() {
      await indexed(await collection());
    },
    rebuild(options) {
      return rebuildReadModel({ db, definition, pointer, rebuildLock, writersLock, indexed }, options);
    },
  };
}
