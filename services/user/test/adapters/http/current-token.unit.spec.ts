import { randomUUID } from 'node:crypto';
import { route } from '@msa/platform';
import { createTestAuth, routeTestApp, type TestAuth } from '@msa/platform/testing';
import request from 'supertest';
import { z } from 'zod';
import { issuedAfterPasswordChange } from '../../../src/adapters/http/current-token.js';
import { problemOf } from '../../support/http.js';

describe('The user service refuses tokens issued before the password changed', () => {
  const userId = randomUUID();
  let auth: TestAuth;
  let changedAt: Date | undefined;
  let api: () => ReturnType<typeof request>;

  beforeEach(async () => {
    auth = await createTestAuth();
    changedAt = undefined;
    const guarded = issuedAfterPasswordChange(auth.requireAuth(), { passwordChangedAt: () => Promise.resolve(changedAt) });
    const whoAmI = route(
      { method: 'get', path: '/who', auth: guarded, responses: { 200: { description: 'the caller', body: z.object({ id: z.string() }) } } },
      ({ principal, reply }) => Promise.resolve(reply(200, { id: principal.userId })),
    );
    const { app } = routeTestApp({ routes: [whoAmI] });
    api = () => request(app);
  });

  const bearer = () => auth.bearer({ userId, email: 'kim@example.com', roles: ['customer'] });

  it('given a user who never changed their password, when their token is used, then it is admitted', async () => {
    const res = await api().get('/who').set('authorization', await bearer());

    expect(res.status).toBe(200);
  });

  it('given a password changed an hour before the token, when it is used, then it is admitted', async () => {
    changedAt = new Date(Date.now() - 3_600_000);

    const res = await api().get('/who').set('authorization', await bearer());

    expect(res.status).toBe(200);
  });

  it('given a password changed after the token was issued, when it is used, then 401 says it predates the change', async () => {
    const authorization = await bearer();
    changedAt = new Date(Date.now() + 2_000);

    const res = await api().get('/who').set('authorization', authorization);

    expect(res.status).toBe(401);
    expect(problemOf(res).detail).toBe('the token was issued before the password changed');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
  });

  it('given no token, when the route is called, then the platform guard answers 401 before any lookup', async () => {
    changedAt = new Date(Date.now() + 2_000);

    const res = await api().get('/who');

    expect(res.status).toBe(401);
    expect(problemOf(res).detail).toBe('a bearer token is required');
  });
});
