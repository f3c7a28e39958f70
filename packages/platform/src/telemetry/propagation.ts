import {
  context as otelContext,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type TextMapGetter,
} from '@opentelemetry/api';

const TRACER_NAME = '@msa/platform';

/** Kafka message headers as kafkajs delivers them (`IHeaders`). */
export type MessageHeaders = Readonly<Record<string, Buffer | string | readonly (Buffer | string)[] | undefined>>;

const headerGetter: TextMapGetter<MessageHeaders> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => {
    const value = headers[key];
    const first = Array.isArray(value) ? (value as readonly (Buffer | string)[])[0] : value;
    return first === undefined ? undefined : first.toString();
  },
};

/**
 * The active (or given) trace context as message headers (`traceparent`, `tracestate`, `baggage`), for
 * a producer to send beside the payload. Empty when no tracer provider is installed.
 */
export function injectTraceHeaders(context: Context = otelContext.active()): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context, headers);
  return headers;
}

/** The trace context a producer sent in a message's headers, to parent the consumer's span. */
export function extractTraceContext(headers: MessageHeaders): Context {
  return propagation.extract(ROOT_CONTEXT, headers, headerGetter);
}

/**
 * The trace id of the span active now (the HTTP request's, the consumed message's), for a record that
 * should lead back to its trace, such as a saga's step; `undefined` outside any valid span.
 */
export function activeTraceId(): string | undefined {
  const spanContext = trace.getSpan(otelContext.active())?.spanContext();
  return spanContext !== undefined && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/**
 * Runs `fn` inside a new span that is a child of `parent` and active for everything `fn` awaits, so
 * logs carry its ids and outgoing messages its context. A thrown error marks the span failed and is
 * rethrown; the span always ends.
 */
export function withSpan<T>(
  name: string,
  parent: Context,
  fn: (span: Span) => Promise<T>,
  options: SpanOptions = {},
): Promise<T> {
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, options, parent, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}
