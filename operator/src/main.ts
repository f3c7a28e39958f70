import { pino } from 'pino';
import { startOperator } from './app.js';
import { ConfigError, loadConfig } from './config.js';

// The operator's entry point: read the environment once, start, stop cleanly on SIGTERM / SIGINT.
try {
  const config = loadConfig(process.env);
  const logger = pino({ name: 'topic-operator', level: config.logLevel });
  const operator = await startOperator(config, logger);
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'stopping');
    operator.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(1);
}
