import type { LevelWithSilent } from 'pino';
import request from 'supertest';
import { z } from 'zod';
import { createHttpApp, createLogger, createPlatformMetrics, route, type HttpApp, type Logger } from '../../src/index.js';
import { captureLines } from '../telemetry/capture.js';

/**
 * An app whose one route logs only when the body asks it to, its captured lines, and how many child
 * loggers its root built once the app was assembled (what the requests built).
 */
function loggingApp(level: LevelWithSilent): { http: HttpApp; lines: Record<string, unknown>[]; childrenBuilt: () => number } {
  const { destination, lines } = captureLines();
  const logger: Logger = createLogger({ service: 'user', level, destination });
  const http = createHttpApp({ service: 'user', logger, metrics: createPlatformMetrics(), openapi: { version: '1.0.0' } });
  http.register(
    route(
      {
        method: 'post',
        path: '/api/notes',
        request: { body: z.object({ text: z.string(), log: z.boolean(), password: z.string().optional() }) },
        responses: { 200: { description: 'Taken', body: z.object({ text: z.string() }) } },
      },
      (input) => {
        const { body, reply } = input;
        // `log` read only to log, as a handler should: reading it builds the request's child.
        if (body.log) input.log.warn({ note: { text: body.text, password: body.password } }, 'note taken');
        return reply(200, { text: body.text });
      },
    ),
  );
  let built = 0;
  const child = logger.child.bind(logger);
  logger.child = ((...args: Parameters<Logger['child']>) => {
    built += 1;
    return child(...args);
  }) as Logger['child'];
  return { http, lines, childrenBuilt: () => built };
}

describe('HTTP kit: request loggers', () => {
  it('given the access line below the level, when a route that logs nothing is requested, then no child logger is built', async () => {
    const { http, lines, childrenBuilt } = loggingApp('warn');

    const res = await request(http.app).post('/api/notes').send({ text: 'hello', log: false });

    expect(res.status).toBe(200);
    expect(childrenBuilt()).toBe(0);
    expect(lines).toEqual([]);
  });

  it('given the access line below the level, when a handler logs, then its line carries the request id with secrets redacted', async () => {
    const { http, lines, childrenBuilt } = loggingApp('warn');

    const res = await request(http.app).post('/api/notes').set('x-request-id', 'req-note.1').send({ text: 'hello', log: true, password: 'hunter2' });

    expect(res.status).toBe(200);
    expect(lines).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'note taken', requestId: 'req-note.1', note: { text: 'hello', password: '[redacted]' } }),
    ]);
    expect(childrenBuilt()).toBe(1);
  });

  it('given info logged, when a handler logs and the request completes, then both lines carry the request id from one child', async () => {
    const { http, lines, childrenBuilt } = loggingApp('info');

    await request(http.app).post('/api/notes').set('x-request-id', 'req-note.2').send({ text: 'hello', log: true });

    expect(lines).toEqual([
      expect.objectContaining({ msg: 'note taken', requestId: 'req-note.2' }),
      expect.objectContaining({ msg: 'request completed', requestId: 'req-note.2', route: '/api/notes', status: 200 }),
    ]);
    expect(childrenBuilt()).toBe(1);
  });
});
