import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { createLogger, startTelemetry, withSpan } from '../../src/index.js';
import { captureLines } from './capture.js';

describe('createLogger', () => {
  it('given a service, when a component logs, then the line is JSON with service, component and level word', () => {
    const { destination, lines } = captureLines();
    const log = createLogger({ service: 'user', destination }).child({ component: 'outbox' });

    log.info({ orderId: 'o-1' }, 'order placed');

    expect(lines).toEqual([
      expect.objectContaining({ service: 'user', component: 'outbox', level: 'info', orderId: 'o-1', msg: 'order placed' }),
    ]);
    expect(new Date(String(lines[0]?.time)).toISOString()).toBe(lines[0]?.time);
  });

  it('given secrets in the logged object, when logged, then passwords, tokens and credentials are redacted', () => {
    const { destination, lines } = captureLines();
    const log = createLogger({ service: 'user', destination });

    log.info(
      {
        password: 'p1',
        body: { email: 'a@b.c', password: 'p2' },
        req: { headers: { authorization: 'Bearer abc', cookie: 'sid=1', accept: 'application/json' } },
        result: { user: { accessToken: 't1' } },
      },
      'registering',
    );

    const line = JSON.stringify(lines[0]);
    for (const secret of ['p1', 'p2', 'Bearer abc', 'sid=1', 't1']) expect(line).not.toContain(secret);
    expect(lines[0]).toMatchObject({ body: { email: 'a@b.c', password: '[redacted]' } });
  });

  it('given a level of warn, when info is logged, then nothing is written', () => {
    const { destination, lines } = captureLines();

    createLogger({ service: 'user', level: 'warn', destination }).info('quiet');

    expect(lines).toEqual([]);
  });

  describe('with tracing started', () => {
    let stopTelemetry: () => Promise<void>;
    beforeAll(() => {
      stopTelemetry = startTelemetry({ service: 'user' });
    });
    afterAll(() => stopTelemetry());

    it('given an active span, when logging inside it, then the line carries its trace and span ids', async () => {
      const { destination, lines } = captureLines();
      const log = createLogger({ service: 'user', destination });

      const ids = await withSpan('work', ROOT_CONTEXT, (span) => {
        log.info('inside');
        return Promise.resolve(span.spanContext());
      });
      context.with(ROOT_CONTEXT, () => {
        log.info('outside');
      });

      expect(lines[0]).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId });
      expect(lines[1]).not.toHaveProperty('trace_id');
    });
  });
});
