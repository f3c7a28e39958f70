import request from 'supertest';
import { route } from '../../src/index.js';
import { testApp, USER_ID } from './fixture.js';

describe('HTTP kit: health', () => {
  it('given the process is up, when /health/live is asked, then 200', async () => {
    const { http } = testApp([{ name: 'postgres', check: () => Promise.reject(new Error('down')) }]);

    const res = await request(http.app).get('/health/live');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'up', service: 'user' });
  });

  it('given every dependency answers, when /health/ready is asked, then 200 listing them', async () => {
    const { http } = testApp([{ name: 'postgres', check: () => Promise.resolve() }]);

    const res = await request(http.app).get('/health/ready');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', checks: [{ name: 'postgres', status: 'up' }] });
  });

  it('given one dependency fails and one hangs, when /health/ready is asked, then 503 names both', async () => {
    let aborted = false;
    const { http, lines } = testApp([
      { name: 'postgres', check: () => Promise.resolve() },
      { name: 'kafka', check: () => Promise.reject(new Error('broker at 10.0.0.7 refused')) },
      {
        name: 'mongo',
        check: (signal) =>
          new Promise((resolve) => {
            signal.addEventListener('abort', () => {
              aborted = true;
              setTimeout(resolve, 100);
            });
          }),
      },
    ]);

    const res = await request(http.app).get('/health/ready');

    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      title: 'Service Unavailable',
      detail: 'not ready: kafka, mongo',
      checks: [
        { name: 'postgres', status: 'up' },
        { name: 'kafka', status: 'down', reason: 'check failed' },
        { name: 'mongo', status: 'down', reason: 'timed out after 50ms' },
      ],
    });
    expect(res.text).not.toContain('10.0.0.7');
    expect(aborted).toBe(true);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', check: 'kafka', component: 'readiness' }));
  });
  it('given only an optional dependency is down, when /health/ready is asked, then 200 degraded naming it, so traffic keeps flowing', async () => {
    const { http } = testApp([
      { name: 'postgres', check: () => Promise.resolve() },
      { name: 'redis', optional: true, check: () => Promise.reject(new Error('Connection is closed.')) },
    ]);

    const res = await request(http.app).get('/health/ready');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'degraded',
      checks: [
        { name: 'postgres', status: 'up' },
        { name: 'redis', status: 'down', optional: true, reason: 'no connection' },
      ],
    });
  });

  it('given an optional dependency is up, when /health/ready is asked, then 200 ready marking it optional', async () => {
    const { http } = testApp([{ name: 'redis', optional: true, check: () => Promise.resolve() }]);

    const res = await request(http.app).get('/health/ready');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', checks: [{ name: 'redis', status: 'up', optional: true }] });
  });

  it('given a required and an optional dependency are down, when /health/ready is asked, then 503 names only the required one', async () => {
    const { http } = testApp([
      { name: 'postgres', check: () => Promise.reject(new Error('down')) },
      { name: 'redis', optional: true, check: () => Promise.reject(new Error('down')) },
    ]);

    const res = await request(http.app).get('/health/ready');

    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({
      detail: 'not ready: postgres',
      checks: [
        { name: 'postgres', status: 'down' },
        { name: 'redis', status: 'down', optional: true },
      ],
    });
  });
});

describe('HTTP kit: metrics', () => {
  it('given requests served, when /metrics is scraped, then the histogram has them by route template', async () => {
    const { http } = testApp();
    await request(http.app).get(`/api/users/${USER_ID}`);
    await request(http.app).get('/no/such/route');

    const res = await request(http.app).get('/metrics');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(res.text).toContain('http_request_duration_seconds_count{method="GET",route="/api/users/:id",status="200"} 1');
    expect(res.text).toContain('http_request_duration_seconds_count{method="GET",route="unmatched",status="404"} 1');
    expect(res.text).not.toContain(USER_ID);
  });
});

describe('HTTP kit: OpenAPI', () => {
  it('given declared routes, when /openapi.json is fetched, then it documents them from their schemas', async () => {
    const { http } = testApp();

    const res = await request(http.app).get('/openapi.json');

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ openapi: '3.1.0', info: { title: 'User service', version: '1.0.0' } });
    expect(res.body).toEqual(http.openApiDocument());
    expect(res.body).toMatchObject({
      paths: {
        '/api/users': {
          post: {
            summary: 'Register a user',
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { email: { type: 'string', format: 'email' }, password: { type: 'string', minLength: 8 } },
                    required: ['email', 'password'],
                  },
                },
              },
            },
            responses: {
              201: { content: { 'application/json': { schema: { $ref: '#/components/schemas/User' } } } },
              409: { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
            },
          },
        },
        '/api/users/{id}': {
          get: { parameters: [{ in: 'path', name: 'id', required: true, schema: { type: 'string', format: 'uuid' } }] },
        },
      },
      components: { schemas: { Problem: { required: ['type', 'title', 'status', 'instance', 'requestId'] } } },
    });
    const responses = http.openApiDocument().paths?.['/api/users']?.post?.responses ?? {};
    expect(Object.keys(responses)).toEqual(['201', '400', '409', '415', '500', '503']);
    // Any route may meet a dependency that is down; the answer says when to come back.
    expect(responses['503']).toMatchObject({
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      headers: { 'Retry-After': { required: true, schema: { type: 'integer', minimum: 1 } } },
    });
  });

  it('given a route declared twice, when registered, then start-up fails', () => {
    const { http } = testApp();
    const ping = route({ method: 'get', path: '/ping', responses: { 204: { description: 'Pong' } } }, ({ reply }) =>
      reply(204),
    );
    http.register(ping);

    expect(() => {
      http.register(ping);
    }).toThrow('route GET /ping is declared twice');
  });
});
