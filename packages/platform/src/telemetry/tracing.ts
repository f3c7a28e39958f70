import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

/** Options for `startTelemetry`. */
export interface TelemetryOptions {
  /** Reported as `service.name` on every span. */
  readonly service: string;
  /** Reported as `service.version` when given. */
  readonly version?: string;
  /** The OTLP/HTTP traces endpoint, e.g. `http://collector:4318/v1/traces`; spans are not exported without it. */
  readonly otlpUrl?: string;
}

/**
 * Installs the process-wide tracer provider: AsyncLocalStorage context, W3C trace-context (and baggage)
 * propagation, and an OTLP exporter when a URL is configured. Spans are created even without an
 * exporter so trace ids still reach logs and travel on to other services. Call it first in `main`;
 * the returned function flushes pending spans and uninstalls, for the shutdown sequence.
 */
export function startTelemetry({ service, version, otlpUrl }: TelemetryOptions): () => Promise<void> {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: service,
      ...(version === undefined ? {} : { [ATTR_SERVICE_VERSION]: version }),
    }),
    spanProcessors:
      otlpUrl === undefined ? [] : [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: otlpUrl }) })],
  });
  // The SDK's tracer provider has no `register`: the API's three globals are set here, context
  // through AsyncLocalStorage so a span stays active across everything its callback awaits.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  trace.setGlobalTracerProvider(provider);
  return async () => {
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  };
}
