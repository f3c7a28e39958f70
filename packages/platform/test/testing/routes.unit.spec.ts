import request from 'supertest';
import { z } from 'zod';
import { ConflictError, route, type Principal } from '../../src/index.js';
import { createTestAuth, routeTestApp, type TestAuth } from '../../src/testing/index.js';

class Taken extends Error {}

const KIM: Principal = { userId: 'u-1', email: 'kim@example.com', roles: ['customer'] };
const OPS: Principal = { userId: 'u-2', email: 'ops@example.com', roles: ['admin'] };

describe('route specs: routeTestApp and createTestAuth', () => {
  let auth: TestAuth;
  let app: ReturnType<typeof routeTestApp>['app'];

  beforeAll(async () => {
    auth = await createTestAuth();
    const routes = [
      route(
        {
          method: 'post',
          path: '/api/names',
          request: { body: z.strictObject({ name: z.string().min(1) }) },
          responses: { 201: { description: 'Named', body: z.object({ name: z.string() }) } },
          problems: [409],
        },
        ({ body, reply }) => {
          if (body.name === 'taken') throw new Taken();
          return reply(201, body);
        },
      ),
      route(
        {
          method: 'get',
          path: '/api/me',
          auth: auth.requireAuth(),
          responses: { 200: { description: 'Me', body: z.object({ userId: z.string() }) } },
        },
        ({ principal, reply }) => reply(200, { userId: principal.userId }),
      ),
      route(
        {
          method: 'get',
          path: '/api/admin',
          auth: auth.requireAuth(['admin']),
          responses: { 204: { description: 'Admitted' } },
        },
        ({ reply }) => reply(204),
      ),
    ];
    app = routeTestApp({ routes, mapError: (error) => (error instanceof Taken ? new ConflictError('taken') : undefined) }).app;
  });

  it('given a valid body, when posted, then the route answers as it would in production', async () => {
    const res = await request(app).post('/api/names').send({ name: 'Kim' });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({ name: 'Kim' });
  });

  it('given a body missing a field, when posted, then 400 problem+json names it', async () => {
    const res = await request(app).post('/api/names').send({});

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((res.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['body.name']);
  });

  it("given the service's error mapping, when a route throws a domain error, then it becomes the mapped problem", async () => {
    const res = await request(app).post('/api/names').send({ name: 'taken' });

    expect(res.status).toBe(409);
  });

  it('given a bearer token from createTestAuth, when a guarded route is called, then the principal reaches it', async () => {
    const res = await request(app).get('/api/me').set('authorization', await auth.bearer(KIM));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: 'u-1' });
  });

  it('given no token, when a guarded route is called, then 401 with a Bearer challenge', async () => {
    const res = await request(app).get('/api/me');

    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('given a customer, when a route requiring admin is called, then 403', async () => {
    const res = await request(app).get('/api/admin').set('authorization', await auth.bearer(KIM));

    expect(res.status).toBe(403);
  });

  it('given an admin, when a route requiring admin is called, then they are admitted', async () => {
    const res = await request(app).get('/api/admin').set('authorization', await auth.bearer(OPS));

    expect(res.status).toBe(204);
  });
});
