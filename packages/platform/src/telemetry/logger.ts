import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type LevelWithSilent, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Where secrets hide in what gets logged: credentials in request headers and password or token fields
 * at the top of a log object or up to two levels down. Paths are pino redaction paths.
 */
const REDACTED_PATHS = [
  ...['password', 'newPassword', 'passwordHash', 'token', 'accessToken', 'refreshToken', 'secret'].flatMap(
    (field) => [field, `*.${field}`, `*.*.${field}`],
  ),
  ...['authorization', 'cookie', '["set-cookie"]'].flatMap((header) => [
    `headers.${header}`,
    `*.headers.${header}`,
  ]),
];

/** Options for `createLogger`. */
export interface LoggerOptions {
  /** The program's name, stamped on every line so aggregated logs stay attributable. */
  readonly service: string;
  /** @default 'info' */
  readonly level?: LevelWithSilent;
  /** Where lines go. @default standard output */
  readonly destination?: DestinationStream;
}

/**
 * The program's one root logger: JSON lines with an ISO time, the level as a word, the service name,
 * and the `trace_id`/`span_id` of the active OpenTelemetry span so a line can be found from a trace and
 * the other way round. Components take a child: `logger.child({ component: 'outbox' })`.
 */
export function createLogger({ service, level = 'info', destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: activeSpanIds,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}

function activeSpanIds(): Record<string, string> {
  const spanContext = trace.getSpan(context.active())?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
