import {
  ConfigError,
  createGracefulShutdown,
  createLogger,
  createPlatformMetrics,
  startTelemetry,
} from '@msa/platform';
import { API_VERSION, createUserApp, SERVICE } from './app.js';
import { loadUserConfig, type UserConfig } from './config.js';

function configOrExit(): UserConfig {
  try {
    return loadUserConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // No logger exists yet (its level is configuration too); the message names each bad variable.
    process.stderr.write(`${SERVICE} service: ${error.message}\n`);
    process.exit(1);
  }
}

/** Starts the user service: configuration, telemetry, the app's background parts, then HTTP. */
async function main(): Promise<void> {
  const config = configOrExit();
  const stopTelemetry = startTelemetry({
    service: SERVICE,
    version: API_VERSION,
    ...(config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT === undefined ? {} : { otlpUrl: config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT }),
  });
  const logger = createLogger({ service: SERVICE, level: config.LOG_LEVEL });
  const app = await createUserApp({ config, logger, metrics: createPlatformMetrics() });
  try {
    await app.start();
  } catch (error) {
    logger.fatal({ err: error }, 'start-up failed');
    await app.stop().catch((stopError: unknown) => {
      logger.error({ err: stopError }, 'closing after the failed start-up failed too');
    });
    await stopTelemetry();
    process.exit(1);
  }
  const server = await app.http.listen(config.PORT);
  const shutdown = createGracefulShutdown({ logger, server });
  shutdown.onShutdown('telemetry', stopTelemetry);
  shutdown.onShutdown('user app', () => app.stop());
  shutdown.exitOnSignals();
  logger.info({ port: config.PORT }, 'user service listening');
}

await main();
