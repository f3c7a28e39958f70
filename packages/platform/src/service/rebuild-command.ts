import type { Logger } from 'pino';
import { z } from 'zod';
import { loadConfig } from '../config/load-config.js';
import { createEventStore, type EventStore } from '../event-store/event-store.js';
import { mongoClientFrom } from '../mongo/env.js';
import { createPool } from '../postgres/pool.js';
import { mongoReadModel } from '../projection/mongo-read-model.js';
import type { RebuildResult } from '../projection/rebuild.js';
import type { AnyReadModel, ServiceConfigSchema, ServiceDefinition } from './definition.js';
import { REBUILD_VARIABLES, type RebuildConfig } from './service-config.js';

/** The argument that makes a service's entry rebuild instead of serve. */
export const REBUILD_COMMAND = 'rebuild-read-model';

/** Options for `rebuildReadModels`. */
export interface RebuildReadModelsOptions {
  /** The read model to rebuild, by its name. @default every read model the service declares */
  readonly readModel?: string;
  readonly logger: Logger;
  /** Receives one progress line at a time, without its newline. */
  readonly progress: (line: string) => void;
  /**
   * How long a replaced collection outlives the switch. @default twice `MONGO_TIMEOUT`: the service's
   * readers and writers share that configuration, so their longest MongoDB call is `MONGO_TIMEOUT`,
   * and twice that leaves room for one that started just before the switch.
   */
  readonly retireAfterMs?: number;
}

/** Unknown read model names and failed rebuilds alike stop the command. */
export class RebuildCommandError extends Error {
  override readonly name = 'RebuildCommandError';
}

/** The variables a rebuild reads, taken from the service's own schema so their defaults are the service's. */
function rebuildConfigSchema(schema: ServiceConfigSchema): z.ZodObject {
  return z.object(Object.fromEntries(REBUILD_VARIABLES.map((variable) => [variable, schema.shape[variable]])));
}

/**
 * Loads what a rebuild of `definition`'s read models reads of `source`: the stores and the log level
 * only, not the keys or the brokers, so it also runs from a shell that has just those.
 *
 * @throws ConfigError naming every bad variable.
 */
export function loadRebuildConfig(definition: ServiceDefinition, source: Readonly<Record<string, string | undefined>> = process.env): RebuildConfig {
  // The schema is the service's own, which `ServiceConfigSchema` types as holding these variables.
  return loadConfig(rebuildConfigSchema(definition.config), source) as RebuildConfig;
}

/**
 * Rebuilds the service's read models (or the one named) from its event store, one after the other,
 * while the service keeps running; reports each batch replayed and each switch through `progress`.
 *
 * @throws RebuildCommandError for a name the service does not declare.
 * @throws RebuildInProgressError when another rebuild of a read model is running.
 */
export async function rebuildReadModels(
  definition: ServiceDefinition,
  config: RebuildConfig,
  { readModel, logger, progress, retireAfterMs = 2 * config.MONGO_TIMEOUT }: RebuildReadModelsOptions,
): Promise<readonly RebuildResult[]> {
  const targets = selectReadModels(definition, readModel);
  const client = `${definition.name}-${REBUILD_COMMAND}`;
  const pool = createPool({ connectionString: config.DATABASE_URL.reveal(), applicationName: client, logger });
  const mongo = mongoClientFrom(config, client);
  try {
    await mongo.connect();
    const store = createEventStore({ pool, logger });
    const results: RebuildResult[] = [];
    for (const target of targets) {
      progress(`${target.name}: replaying the event log`);
      const result = await mongoReadModel(mongo.db(config.MONGO_DATABASE), target).rebuild({
        store: reportingBatches(store, target, progress),
        pool,
        logger,
        retireAfterMs,
      });
      progress(`${target.name}: done, events applied: ${result.events}; ${result.collection} serves, ${result.replaced} dropped`);
      results.push(result);
    }
    return results;
  } finally {
    await mongo.close();
    await pool.end();
  }
}

function selectReadModels(definition: ServiceDefinition, name: string | undefined): readonly AnyReadModel[] {
  const declared = definition.readModels?.definitions ?? [];
  const names = declared.map((readModel) => readModel.name);
  if (declared.length === 0) throw new RebuildCommandError(`service ${definition.name} declares no read models`);
  if (name === undefined) return declared;
  const found = declared.find((readModel) => readModel.name === name);
  if (found === undefined) throw new RebuildCommandError(`service ${definition.name} has no read model ${name}; it has ${names.join(', ')}`);
  return [found];
}

/** The store the rebuild reads, reporting each batch: events of the read model's types applied so far, and the log position reached. */
function reportingBatches(store: EventStore, target: AnyReadModel, progress: (line: string) => void): Pick<EventStore, 'readAll'> {
  const handled = new Set<string>(target.handles);
  let applied = 0;
  return {
    async readAll(afterPosition, limit) {
      const batch = await store.readAll(afterPosition, limit);
      applied += batch.filter(({ event }) => handled.has(event.eventType)).length;
      const position = batch.at(-1)?.position ?? afterPosition ?? 0;
      progress(`${target.name}: events applied: ${applied}, log position ${position}`);
      return batch;
    },
  };
}
