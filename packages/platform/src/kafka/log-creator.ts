import { logLevel, type LogEntry, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';

// kafkajs stamps these on every entry: pino has its own time and message, and the component names the source.
const STAMPED = new Set(['timestamp', 'logger', 'message']);

// Every kafkajs level, so the compiler notices one added; NOTHING is a setting, never an entry's level.
const PINO_LEVELS: Readonly<Record<logLevel, 'error' | 'warn' | 'info' | 'debug' | undefined>> = {
  [logLevel.NOTHING]: undefined,
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

// kafkajs warnings that the platform's settings answer by design, logged at debug. An idempotent
// producer's retries are bounded (`createProducer`): kafkajs warns that a send given up on may leave
// its sequence numbers out of step, and a producer whose send was rejected is never sent through
// again (the outbox relay replaces it).
const ANSWERED_WARNINGS = new Set(['Limiting retries for the idempotent producer may invalidate EoS guarantees']);

/**
 * A kafkajs `logCreator` that writes through the program's pino logger instead of kafkajs's console
 * logger: one child with `component: 'kafkajs'`, the entry's namespace (`Consumer`, `Connection`...)
 * and fields as the object, its message as the message, at the matching level (debug for the
 * warnings the platform answers by design).
 */
export function pinoLogCreator(logger: Logger): logCreator {
  return () => {
    const log = logger.child({ component: 'kafkajs' });
    return ({ namespace, level, log: content }: LogEntry) => {
      const pinoLevel = level === logLevel.WARN && ANSWERED_WARNINGS.has(content.message) ? 'debug' : PINO_LEVELS[level];
      if (pinoLevel === undefined) return;
      const entries: [string, unknown][] = Object.entries(content);
      const fields = Object.fromEntries(entries.filter(([key]) => !STAMPED.has(key)));
      log[pinoLevel]({ namespace, ...fields }, content.message);
    };
  };
}
