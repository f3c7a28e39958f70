import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { activeTraceId, extractTraceContext, injectTraceHeaders, startTelemetry, withSpan } from '../../src/index.js';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('Kafka trace propagation', () => {
  let stopTelemetry: () => Promise<void>;
  beforeAll(() => {
    stopTelemetry = startTelemetry({ service: 'order' });
  });
  afterAll(() => stopTelemetry());

  it('given an active span, when headers are injected, then they carry its W3C traceparent', async () => {
    const { headers, traceId, spanId } = await withSpan('publish', ROOT_CONTEXT, (span) =>
      Promise.resolve({ headers: injectTraceHeaders(), ...span.spanContext() }),
    );

    expect(headers.traceparent).toBe(`00-${traceId}-${spanId}-01`);
  });

  it('given an active span, when asked for the trace id, then it is the span’s; outside any span, undefined', async () => {
    const [traceId, inSpan] = await withSpan('step', ROOT_CONTEXT, (span) => Promise.resolve([span.spanContext().traceId, activeTraceId()]));

    expect(inSpan).toBe(traceId);
    expect(activeTraceId()).toBeUndefined();
  });

  it('given headers as kafkajs delivers them (Buffers), when extracted, then a consumer span continues the trace', async () => {
    const producerHeaders = await withSpan('publish', ROOT_CONTEXT, () => Promise.resolve(injectTraceHeaders()), {
      kind: SpanKind.PRODUCER,
    });
    const [, producerTraceId] = TRACEPARENT.exec(producerHeaders.traceparent ?? '') ?? [];
    const delivered = { traceparent: Buffer.from(producerHeaders.traceparent ?? ''), other: undefined };

    const consumerTraceId = await withSpan(
      'process',
      extractTraceContext(delivered),
      (span) => Promise.resolve(span.spanContext().traceId),
      { kind: SpanKind.CONSUMER },
    );

    expect(producerTraceId).toBeDefined();
    expect(consumerTraceId).toBe(producerTraceId);
  });

  it('given no trace headers, when extracted, then the context has no span and a new trace starts', async () => {
    const parent = extractTraceContext({});

    const traceId = await withSpan('process', parent, (span) => Promise.resolve(span.spanContext().traceId));

    expect(trace.getSpan(parent)).toBeUndefined();
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('given a failing function, when run in a span, then the error is rethrown and the span ended', async () => {
    let spanOfRun: { isRecording(): boolean } | undefined;

    const run = withSpan('fails', ROOT_CONTEXT, (span) => {
      spanOfRun = span;
      return Promise.reject(new Error('boom'));
    });

    await expect(run).rejects.toThrow('boom');
    expect(spanOfRun?.isRecording()).toBe(false);
  });
});

describe('Kafka trace propagation without a tracer provider', () => {
  it('given telemetry not started, when headers are injected, then there are none', () => {
    expect(injectTraceHeaders()).toEqual({});
  });
});
