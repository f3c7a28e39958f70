import request from 'supertest';
import { z } from 'zod';
import { ConcurrencyError, ConflictError, createHttpApp, createLogger, createPlatformMetrics, route } from '../../src/index.js';
import { captureLines } from '../telemetry/capture.js';

// Every event-sourced service meets a ConcurrencyError its command handler's retries could not
// absorb; the kit answers it the same way for all of them, unless the service maps it itself.
function appThrowing(mapError?: (error: unknown) => ConflictError | undefined) {
  const { destination } = captureLines();
  const http = createHttpApp({
    service: 'order',
    logger: createLogger({ service: 'order', level: 'debug', destination }),
    metrics: createPlatformMetrics(),
    openapi: { title: 'Order service', version: '1.0.0' },
    ...(mapError === undefined ? {} : { mapError }),
  });
  http.register(
    route(
      {
        method: 'post',
        path: '/api/orders/:id/cancel',
        summary: 'Cancel an order',
        request: { params: z.object({ id: z.string() }) },
        responses: { 204: { description: 'Cancelled' } },
        problems: [409],
      },
      () => {
        throw new ConcurrencyError('order-1', 3, 4);
      },
    ),
  );
  return http;
}

describe('a ConcurrencyError that reaches the HTTP kit', () => {
  it('given a service that does not map it, when thrown, then 409 problem+json without the stream internals', async () => {
    const res = await request(appThrowing().app).post('/api/orders/1/cancel');

    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 409, detail: 'the resource was changed by another request meanwhile; try again' });
    expect(JSON.stringify(res.body)).not.toContain('order-1');
  });

  it('given a service that maps it, when thrown, then the service’s own problem wins', async () => {
    const mapped = appThrowing((error) => (error instanceof ConcurrencyError ? new ConflictError('the order changed meanwhile') : undefined));

    const res = await request(mapped.app).post('/api/orders/1/cancel');

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ detail: 'the order changed meanwhile' });
  });
});
