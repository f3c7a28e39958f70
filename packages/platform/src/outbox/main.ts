import { createHttpApp } from '../http/app.js';
import { createKafka } from '../kafka/client.js';
import { createGracefulShutdown } from '../http/shutdown.js';
import { createPool } from '../postgres/pool.js';
import { createLogger } from '../telemetry/logger.js';
import { createPlatformMetrics } from '../telemetry/metrics.js';
import { startTelemetry } from '../telemetry/tracing.js';
import { loadOrExit } from '../service/load-or-exit.js';
import { loadRelayConfig, outboxRelayOptionsFrom } from './config.js';
import { createOutboxRelay } from './relay.js';

const SERVICE = 'outbox-relay';

/**
 * Runs the outbox relay of one database as a program of its own, for when publishing should not share
 * a process with the service (the service then starts no relay, or one under the same name: only one
 * of them leads).
 */
async function main(): Promise<void> {
  const config = loadOrExit(SERVICE, () => loadRelayConfig());
  const otlp = config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const stopTelemetry = startTelemetry({ service: SERVICE, ...(otlp === undefined ? {} : { otlpUrl: otlp }) });
  const logger = createLogger({ service: SERVICE, level: config.LOG_LEVEL });
  const metrics = createPlatformMetrics();
  const pool = createPool({ connectionString: config.DATABASE_URL.reveal(), applicationName: SERVICE, logger, max: 2 });
  const kafka = createKafka({ clientId: SERVICE, brokers: config.KAFKA_BROKERS, logger });
  const relay = createOutboxRelay({ pool, kafka, logger, metrics, name: config.RELAY_NAME, ...outboxRelayOptionsFrom(config) });
  const http = createHttpApp({
    service: SERVICE,
    logger,
    metrics,
    openapi: { version: '1.0.0' },
    readiness: [{ name: 'postgres', check: () => pool.query('select 1') }],
  });
  const server = await http.listen(config.PORT);
  const shutdown = createGracefulShutdown({ logger, server });
  shutdown.onShutdown('telemetry', stopTelemetry);
  shutdown.onShutdown('postgres', () => pool.end());
  shutdown.onShutdown('relay', () => relay.stop());
  shutdown.exitOnSignals();
  relay.start();
  logger.info({ port: config.PORT, relay: config.RELAY_NAME }, 'outbox relay running');
}

await main();
