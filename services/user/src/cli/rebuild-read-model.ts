import { ConfigError, createEventStore, createLogger, createPool, mongoClientFrom, mongoReadModel } from '@msa/platform';
import { profileReadModel } from '../adapters/mongo/profile-read-model.js';
import { loadRebuildConfig, type RebuildConfig } from '../config.js';

const PROGRAM = 'user-rebuild-read-model';

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
  const logger = createLogger({ service: PROGRAM, level: config.LOG_LEVEL });
  const pool = createPool({ connectionString: config.DATABASE_URL.reveal(), applicationName: PROGRAM, logger });
  const mongo = mongoClientFrom(config, PROGRAM);
  try {
    await mongo.connect();
    const profiles = mongoReadModel(mongo.db(config.MONGO_DATABASE), profileReadModel);
    // The service's readers and writers share this configuration, so their longest MongoDB call is
    // MONGO_TIMEOUT; twice that leaves room for one that started just before the switch.
    await profiles.rebuild({ store: createEventStore({ pool, logger }), pool, logger, retireAfterMs: 2 * config.MONGO_TIMEOUT });
  } catch (error) {
    logger.fatal({ err: error }, 'rebuild failed; the read model in service is unchanged unless the switch was logged');
    process.exitCode = 1;
  } finally {
    await mongo.close();
    await pool.end();
  }
}

await main();
