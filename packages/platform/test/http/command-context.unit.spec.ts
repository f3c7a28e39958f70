import request from 'supertest';
import { z } from 'zod';
import { createHttpApp, createLogger, createPlatformMetrics, route, type RequestCommandContext } from '../../src/index.js';
import { routeTestApp } from '../../src/testing/index.js';
import { captureLines } from '../telemetry/capture.js';

const AT = new Date('2025-03-01T09:30:00.000Z');
const Context = z.object({ correlationId: z.string(), causationId: z.string(), now: z.iso.datetime() });

// The handler hands its `command` to the command handler as it is; the spec echoes it instead.
const echoCommand = route(
  { method: 'post', path: '/api/orders', responses: { 200: { description: 'The context', body: Context } } },
  ({ command, reply }) => reply(200, { ...command, now: command.now.toISOString() }),
);

function appWithClock(clock?: () => Date) {
  const { destination } = captureLines();
  const http = createHttpApp({
    service: 'order',
    logger: createLogger({ service: 'order', level: 'silent', destination }),
    metrics: createPlatformMetrics(),
    openapi: { version: '1.0.0' },
    ...(clock === undefined ? {} : { clock }),
  });
  http.register(echoCommand);
  return http.app;
}

describe('the command context a route handler receives', () => {
  it('given a request with an id and an app clock, when handled, then the id correlates and causes the command at the clock’s time', async () => {
    const res = await request(appWithClock(() => AT)).post('/api/orders').set('x-request-id', 'req-42');

    expect(res.status).toBe(200);
    expect(res.body).toEqual<Record<keyof RequestCommandContext, string>>({
      correlationId: 'req-42',
      causationId: 'req-42',
      now: '2025-03-01T09:30:00.000Z',
    });
  });

  it('given a request without an id and no clock, when handled, then the generated request id and the current time are used', async () => {
    const before = Date.now();

    const res = await request(appWithClock()).post('/api/orders');

    const body = Context.parse(res.body);
    expect(body.correlationId).toBe(res.headers['x-request-id']);
    expect(body.causationId).toBe(body.correlationId);
    expect(Date.parse(body.now)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(body.now)).toBeLessThanOrEqual(Date.now());
  });

  it('given a route spec with a fixed clock, when handled, then the command carries that time', async () => {
    const { app } = routeTestApp({ routes: [echoCommand], clock: () => AT });

    const res = await request(app).post('/api/orders');

    expect(Context.parse(res.body).now).toBe('2025-03-01T09:30:00.000Z');
  });
});
