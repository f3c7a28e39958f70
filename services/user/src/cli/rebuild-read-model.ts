import { ConfigError, createEventStore, createLogger, createPool } from '@msa/platform';
import { MongoClient } from 'mongodb';
import { profileCollections } from '../adapters/mongo/profile-collections.js';
import { rebuildProfiles } from '../adapters/mongo/rebuild.js';
import { loadRebuildConfig, type RebuildConfig } from '../config.js';

function configOrExit(): RebuildConfig {
  try {
    return loadRebuildConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`rebuild-read-model: ${error.message}\n`);
    process.exit(1);
  }
}

/**
 * `npm run -w @msa/user-service rebuild-read-model`: rebuilds the `user_profiles` read model from the
 * event store while the service keeps running, and switches it over when done.
 */
async function main(): Promise<void> {
  const config = configOrExit();
  const logger = createLogger({ service: 'user-rebuild-read-model', level: config.LOG_LEVEL });
  const pool = createPool({ connectionString: config.DATABASE_URL.reveal(), applicationName: 'user-rebuild-read-model', logger });
  const mongo = new MongoClient(config.MONGO_URL.reveal(), { serverSelectionTimeoutMS: 5_000 });
  try {
    await mongo.connect();
    const store = createEventStore({ pool, logger });
    await rebuildProfiles({ store, pool, collections: profileCollections(mongo.db(config.MONGO_DATABASE)), logger });
  } catch (error) {
    logger.fatal({ err: error }, 'rebuild failed; the read model in service is unchanged unless the switch was logged');
    process.exitCode = 1;
  } finally {
    await mongo.close();
    await pool.end();
  }
}

await main();
