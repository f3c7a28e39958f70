import { pino } from 'pino';
import type { z } from 'zod';
import { loadConfig } from '../config/load-config.js';
import { createGracefulShutdown } from '../http/shutdown.js';
import { createLogger } from '../telemetry/logger.js';
import { createPlatformMetrics } from '../telemetry/metrics.js';
import { startTelemetry } from '../telemetry/tracing.js';
import { createService } from './create-service.js';
import type { ServiceConfigSchema, ServiceDefinition } from './definition.js';
import { loadOrExit } from './load-or-exit.js';
import { loadRebuildConfig, REBUILD_COMMAND, rebuildReadModels } from './rebuild-command.js';

/** Options for `runService`; the defaults are the process's own. */
export interface RunServiceOptions {
  /** The arguments after the script. @default process.argv.slice(2) */
  readonly argv?: readonly string[];
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * A service's whole `main.ts`. Without arguments it serves: loads the configuration (exiting 1 with
 * each bad variable named), starts telemetry, builds the service (`createService`), migrates and
 * starts it, listens on `PORT`, and on SIGTERM or SIGINT drains in order: HTTP stops accepting and
 * finishes its requests, the consumers stop, the relay stops, MongoDB and the pool close, telemetry
 * flushes. With `rebuild-read-model [<name>]` it rebuilds the read models (or the one named) from
 * the event store, printing progress on stdout and logging to stderr, and exits 0 or 1.
 */
export async function runService<S extends ServiceConfigSchema>(
  definition: ServiceDefinition<S>,
  { argv = process.argv.slice(2), env = process.env }: RunServiceOptions = {},
): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined) return serve(definition, env);
  if (command === REBUILD_COMMAND && rest.length <= 1) return rebuild(definition, rest[0], env);
  process.stderr.write(`${definition.name} service: unknown arguments ${argv.join(' ')}\nusage: main.js [${REBUILD_COMMAND} [<read model>]]\n`);
  process.exit(1);
}

async function serve<S extends ServiceConfigSchema>(
  definition: ServiceDefinition<S>,
  env: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  const { name, version } = definition;
  const config: z.output<S> = loadOrExit(`${name} service`, () => loadConfig(definition.config, env));
  const otlpUrl = config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const stopTelemetry = startTelemetry({ service: name, version, ...(otlpUrl === undefined ? {} : { otlpUrl }) });
  const logger = createLogger({ service: name, level: config.LOG_LEVEL });
  const namespace = config.KAFKA_NAMESPACE;
  const service = await createService(definition, config, { logger, metrics: createPlatformMetrics(), ...(namespace === undefined ? {} : { namespace }) });
  try {
    await service.start();
  } catch (error) {
    logger.fatal({ err: error }, 'start-up failed');
    await service.stop().catch((stopError: unknown) => {
      logger.error({ err: stopError }, 'closing after the failed start-up failed too');
    });
    await stopTelemetry();
    process.exit(1);
  }
  const server = await service.http.listen(config.PORT);
  // Closers run in reverse: the service's parts once HTTP has drained, telemetry last, so the
  // shutdown's own spans and logs still go out.
  const shutdown = createGracefulShutdown({ logger, server });
  shutdown.onShutdown('telemetry', stopTelemetry);
  shutdown.onShutdown(`${name} service`, () => service.stop());
  shutdown.exitOnSignals();
  logger.info({ port: config.PORT }, `${name} service listening`);
}

async function rebuild(definition: ServiceDefinition, readModel: string | undefined, env: Readonly<Record<string, string | undefined>>): Promise<void> {
  const program = `${definition.name} ${REBUILD_COMMAND}`;
  const config = loadOrExit(program, () => loadRebuildConfig(definition, env));
  // Progress lines own stdout, so whoever runs the command reads them plainly; the log goes to stderr.
  const logger = createLogger({ service: program, level: config.LOG_LEVEL, destination: pino.destination(2) });
  try {
    await rebuildReadModels(definition, config, {
      logger,
      progress: (line) => process.stdout.write(`${line}\n`),
      ...(readModel === undefined ? {} : { readModel }),
    });
  } catch (error) {
    logger.fatal({ err: error }, 'rebuild failed; the read model in service is unchanged unless the switch was logged');
    process.stderr.write(`${program}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
