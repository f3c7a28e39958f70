import { randomUUID } from 'node:crypto';
import { createTestAuth, routeTestApp, type TestAuth } from '@msa/platform/testing';
import request from 'supertest';
import { userRoutes } from '../../../src/adapters/http/routes.js';
import { fakeUserPorts, type SentResetLink } from '../../support/fake-ports.js';
import { problemOf, userOf } from '../../support/http.js';

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a whole new passphrase';
/** The route specs' clock: every command happens at this time. */
const NOW = new Date('2025-03-01T09:30:00.000Z');

describe('User routes against fake ports', () => {
  let auth: TestAuth;
  let api: () => ReturnType<typeof request>;
  let sentResetLinks: () => readonly SentResetLink[];

  // Every test gets a service of its own: empty stores, fresh keys.
  beforeEach(async () => {
    auth = await createTestAuth();
    const ports = fakeUserPorts();
    sentResetLinks = ports.sentResetLinks;
    const routes = userRoutes({
      accounts: ports.accounts,
      profiles: ports.profiles,
      tokens: auth.tokens,
      authenticated: auth.requireAuth(),
      adminOnly: auth.requireAuth(['admin']),
      adminEmails: ['Ops@Example.com'],
      newUserId: randomUUID,
      resetRequestAnswerMs: 0,
    });
    const { app } = routeTestApp({ routes, clock: () => NOW });
    api = () => request(app);
  });

  function register(email: string, password = PASSWORD) {
    return api().post('/api/users').send({ email, password, name: 'Kim Minji' });
  }

  /** Registers `email` and logs in: the `Authorization` header of the new user. */
  async function signedIn(email: string): Promise<string> {
    expect((await register(email)).status).toBe(201);
    const login = await api().post('/api/users/login').send({ email, password: PASSWORD });
    return `Bearer ${(login.body as { accessToken: string }).accessToken}`;
  }

  describe('POST /api/users', () => {
    it('given a new address, when registering, then 201 with the profile at version 1 and its location', async () => {
      const res = await register('minji@example.com');

      expect(res.status).toBe(201);
      expect(res.headers.location).toBe('/api/users/me');
      expect(userOf(res)).toEqual({ id: userOf(res).id, email: 'minji@example.com', name: 'Kim Minji', role: 'customer', version: 1 });
    });

    it('given an address on the admin list in another case, when registering, then the account is an admin', async () => {
      const res = await register('ops@example.com');

      expect(userOf(res).role).toBe('admin');
    });

    it('given a registered address, when it registers again in another case, then 409 names body.email', async () => {
      await register('dup@example.com');

      const again = await register('DUP@Example.COM');

      expect(again.status).toBe(409);
      expect(problemOf(again)).toMatchObject({
        status: 409,
        detail: 'the email address is already registered',
        errors: [{ field: 'body.email', message: 'is already registered' }],
      });
    });

    it('given malformed JSON, when registering, then 400 names the body', async () => {
      const res = await api().post('/api/users').set('content-type', 'application/json').send('{"email": "a@b.cd",');

      expect(res.status).toBe(400);
      expect(problemOf(res).errors).toEqual([{ field: 'body', message: 'malformed JSON' }]);
    });

    it('given a missing name and a numeric password, when registering, then 400 names both fields', async () => {
      const res = await api().post('/api/users').send({ email: 'fields@example.com', password: 123456789012 });

      expect(res.status).toBe(400);
      expect(problemOf(res).errors).toEqual([
        { field: 'body.password', message: 'Invalid input: expected string, received number' },
        { field: 'body.name', message: 'Required' },
      ]);
    });

    it('given an invalid email, when registering, then 400 names body.email', async () => {
      const res = await register('not-an-address');

      expect(res.status).toBe(400);
      expect(problemOf(res).errors).toEqual([{ field: 'body.email', message: 'Invalid email address' }]);
    });

    it('given a password the policy refuses, when registering, then 422 names body.password with every reason', async () => {
      const res = await register('weakling@example.com', 'WEAKLING');

      expect(res.status).toBe(422);
      expect(problemOf(res).errors).toEqual([
        { field: 'body.password', message: 'must be at least 12 characters' },
        { field: 'body.password', message: 'must not be the email address or its name part' },
      ]);
    });
  });

  describe('POST /api/users/login', () => {
    it('given a registered user, when logging in with the address in another case, then 200 with a bearer token', async () => {
      await register('login@example.com');

      const res = await api().post('/api/users/login').send({ email: 'LOGIN@example.com', password: PASSWORD });

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ accessToken: expect.any(String) as unknown, tokenType: 'Bearer', expiresAt: expect.any(String) as unknown });
    });

    it('given a registered user, when logging in with a wrong password, then 401', async () => {
      await register('login@example.com');

      const res = await api().post('/api/users/login').send({ email: 'login@example.com', password: 'not the password at all' });

      expect(res.status).toBe(401);
      expect(problemOf(res).detail).toBe('the email or password is not correct');
    });

    it('given an unknown address, when logging in, then the same 401 as for a wrong password', async () => {
      const res = await api().post('/api/users/login').send({ email: 'nobody@example.com', password: PASSWORD });

      expect(res.status).toBe(401);
      expect(problemOf(res).detail).toBe('the email or password is not correct');
    });
  });

  describe('GET and PATCH /api/users/me', () => {
    it('given a signed-in user, when reading /me, then their profile', async () => {
      const authorization = await signedIn('me@example.com');

      const res = await api().get('/api/users/me').set('authorization', authorization);

      expect(res.status).toBe(200);
      expect(userOf(res)).toMatchObject({ email: 'me@example.com', name: 'Kim Minji', role: 'customer', version: 1 });
    });

    it('given no token, when reading /me, then 401 with a Bearer challenge', async () => {
      const res = await api().get('/api/users/me');

      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });

    it('given a verified token for a user with no profile, when reading /me, then 404', async () => {
      const authorization = await auth.bearer({ userId: randomUUID(), email: 'ghost@example.com', roles: ['customer'] });

      const res = await api().get('/api/users/me').set('authorization', authorization);

      expect(res.status).toBe(404);
    });

    it('given a signed-in user, when they change their name, then 200 with the profile at version 2', async () => {
      const authorization = await signedIn('rename@example.com');

      const res = await api().patch('/api/users/me').set('authorization', authorization).send({ name: 'Kim Min-ji' });

      expect(res.status).toBe(200);
      expect(userOf(res)).toMatchObject({ email: 'rename@example.com', name: 'Kim Min-ji', version: 2 });
    });

    it("given a signed-in user, when they take another account's address, then 409 names body.email", async () => {
      await register('owner@example.com');
      const authorization = await signedIn('taker@example.com');

      const res = await api()
        .patch('/api/users/me')
        .set('authorization', authorization)
        .send({ email: 'OWNER@example.com', currentPassword: PASSWORD });

      expect(res.status).toBe(409);
      expect(problemOf(res).errors).toEqual([{ field: 'body.email', message: 'is already registered' }]);
    });

    it('given a signed-in user, when they change their email with the current password, then 200 and the new address logs in', async () => {
      const authorization = await signedIn('moving@example.com');

      const res = await api()
        .patch('/api/users/me')
        .set('authorization', authorization)
        .send({ email: 'moved@example.com', currentPassword: PASSWORD });

      expect(res.status).toBe(200);
      expect(userOf(res)).toMatchObject({ email: 'moved@example.com', version: 2 });
      expect((await api().post('/api/users/login').send({ email: 'moved@example.com', password: PASSWORD })).status).toBe(200);
    });

    it('given a signed-in user, when they change their email without the current password, then 422 names body.currentPassword', async () => {
      const authorization = await signedIn('stuck@example.com');

      const res = await api().patch('/api/users/me').set('authorization', authorization).send({ email: 'free@example.com' });

      expect(res.status).toBe(422);
      expect(problemOf(res)).toMatchObject({
        detail: 'the current password is required to change the email address',
        errors: [{ field: 'body.currentPassword', message: 'is required to change the email address' }],
      });
    });

    it('given a signed-in user, when they change their email with a wrong current password, then 422 says only that it is incorrect', async () => {
      const authorization = await signedIn('guess@example.com');

      const res = await api()
        .patch('/api/users/me')
        .set('authorization', authorization)
        .send({ email: 'mine-now@example.com', currentPassword: 'a guess at the password' });

      expect(res.status).toBe(422);
      expect(problemOf(res)).toMatchObject({
        detail: 'the current password is incorrect',
        errors: [{ field: 'body.currentPassword', message: 'is incorrect' }],
      });
    });

    it('given a signed-in user, when they try to set their role, then 400 refuses the key', async () => {
      const authorization = await signedIn('climber@example.com');

      const res = await api().patch('/api/users/me').set('authorization', authorization).send({ role: 'admin' });

      expect(res.status).toBe(400);
      expect(problemOf(res).errors).toEqual([{ field: 'body', message: 'Unrecognized key: "role"' }]);
    });

    it('given a signed-in user, when they send an empty change, then 400 says a field is needed', async () => {
      const authorization = await signedIn('empty@example.com');

      const res = await api().patch('/api/users/me').set('authorization', authorization).send({});

      expect(res.status).toBe(400);
      expect(problemOf(res).errors).toEqual([{ field: 'body', message: 'an update must name at least one of name, email, phone' }]);
    });
  });

  describe('GET /api/users', () => {
    it('given an admin and three users, when paging two at a time, then the second page holds the third user and the total', async () => {
      const admin = await signedIn('ops@example.com');
      await register('first@example.com');
      await register('second@example.com');

      const res = await api().get('/api/users?page=2&pageSize=2').set('authorization', admin);

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ page: 2, pageSize: 2, total: 3, items: [{ email: 'second@example.com' }] });
    });

    it('given a customer, when listing users, then 403', async () => {
      const customer = await signedIn('customer@example.com');

      const res = await api().get('/api/users').set('authorization', customer);

      expect(res.status).toBe(403);
    });

    it('given an admin, when the page is 0 and the page size 500, then 400 names both query fields', async () => {
      const admin = await signedIn('ops@example.com');

      const res = await api().get('/api/users?page=0&pageSize=500').set('authorization', admin);

      expect(res.status).toBe(400);
      expect(problemOf(res).errors?.map((e) => e.field)).toEqual(['query.page', 'query.pageSize']);
    });
  });

  describe('POST /api/users/me/password', () => {
    const changePassword = (authorization: string, body: object) =>
      api().post('/api/users/me/password').set('authorization', authorization).send(body);

    it('given a signed-in user, when they change their password, then 200 with a fresh token, and only the new password logs in', async () => {
      const authorization = await signedIn('change@example.com');

      const res = await changePassword(authorization, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });

      expect(res.status).toBe(200);
      const { accessToken } = res.body as { accessToken: string };
      expect((await api().get('/api/users/me').set('authorization', `Bearer ${accessToken}`)).status).toBe(200);
      expect((await api().post('/api/users/login').send({ email: 'change@example.com', password: PASSWORD })).status).toBe(401);
      expect((await api().post('/api/users/login').send({ email: 'change@example.com', password: NEW_PASSWORD })).status).toBe(200);
    });

    it('given a wrong current password, when changing, then 422 names body.currentPassword and says nothing of the new one', async () => {
      const authorization = await signedIn('wrong@example.com');

      const res = await changePassword(authorization, { currentPassword: 'a guess at the password', newPassword: 'short' });

      expect(res.status).toBe(422);
      expect(problemOf(res).errors).toEqual([{ field: 'body.currentPassword', message: 'is incorrect' }]);
    });

    it('given a new password the policy refuses, when changing, then 422 names body.newPassword with every reason', async () => {
      const authorization = await signedIn('weak@example.com');

      const res = await changePassword(authorization, { currentPassword: PASSWORD, newPassword: 'WEAK' });

      expect(res.status).toBe(422);
      expect(problemOf(res).errors).toEqual([
        { field: 'body.newPassword', message: 'must be at least 12 characters' },
        { field: 'body.newPassword', message: 'must not be the email address or its name part' },
      ]);
    });

    it('given no new password, when changing, then 400 names body.newPassword', async () => {
      const authorization = await signedIn('missing@example.com');

      const res = await changePassword(authorization, { currentPassword: PASSWORD });

      expect(res.status).toBe(400);
      expect(problemOf(res).errors).toEqual([{ field: 'body.newPassword', message: 'Required' }]);
    });

    it('given no token, when changing a password, then 401', async () => {
      const res = await api().post('/api/users/me/password').send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD });

      expect(res.status).toBe(401);
    });
  });

  describe('POST /api/users/password-reset and /confirm', () => {
    const requestReset = (email: string) => api().post('/api/users/password-reset').send({ email });
    const confirm = (token: string, newPassword = NEW_PASSWORD) =>
      api().post('/api/users/password-reset/confirm').send({ token, newPassword });

    it('given a registered and an unknown address, when each asks for a reset, then both get the same 202 and only the first a link', async () => {
      await register('known@example.com');

      const known = await requestReset('KNOWN@example.com');
      const unknown = await requestReset('unknown@example.com');

      expect([known.status, unknown.status]).toEqual([202, 202]);
      expect(known.body).toEqual(unknown.body);
      expect(sentResetLinks().map((link) => link.email)).toEqual(['known@example.com']);
    });

    it('given a malformed address, when asking for a reset, then 400 names body.email', async () => {
      const res = await requestReset('not-an-address');

      expect(res.status).toBe(400);
      expect(problemOf(res).errors).toEqual([{ field: 'body.email', message: 'Invalid email address' }]);
    });

    it('given three links sent this hour, when a fourth is asked, then still 202 and no link goes out', async () => {
      await register('often@example.com');
      for (let i = 0; i < 3; i += 1) expect((await requestReset('often@example.com')).status).toBe(202);

      const fourth = await requestReset('often@example.com');

      expect(fourth.status).toBe(202);
      expect(sentResetLinks()).toHaveLength(3);
    });

    it('given a mailed link, when its token is confirmed with a new password, then 204 and the new password logs in', async () => {
      await register('forgot@example.com');
      await requestReset('forgot@example.com');
      const [link] = sentResetLinks();

      const res = await confirm(link?.token ?? '');

      expect(res.status).toBe(204);
      expect((await api().post('/api/users/login').send({ email: 'forgot@example.com', password: NEW_PASSWORD })).status).toBe(200);
    });

    it('given a used token, when it is confirmed again, then 400 names body.token', async () => {
      await register('again@example.com');
      await requestReset('again@example.com');
      const token = sentResetLinks()[0]?.token ?? '';
      expect((await confirm(token)).status).toBe(204);

      const res = await confirm(token, 'yet another passphrase');

      expect(res.status).toBe(400);
      expect(problemOf(res)).toMatchObject({
        detail: 'the reset token is unknown, expired or already used',
        errors: [{ field: 'body.token', message: 'is unknown, expired or already used' }],
      });
    });

    it('given a token nobody was sent, when it is confirmed, then the same 400 as for a used one', async () => {
      const res = await confirm('A'.repeat(43));

      expect(res.status).toBe(400);
      expect(problemOf(res).errors).toEqual([{ field: 'body.token', message: 'is unknown, expired or already used' }]);
    });

    it('given a mailed link, when the new password breaks the policy, then 422 names body.newPassword', async () => {
      await register('weak-reset@example.com');
      await requestReset('weak-reset@example.com');

      const res = await confirm(sentResetLinks()[0]?.token ?? '', 'zzzzzzzzzzzzzz');

      expect(res.status).toBe(422);
      expect(problemOf(res).errors).toEqual([{ field: 'body.newPassword', message: 'must not be one character repeated' }]);
    });

    it('given an empty token, when it is confirmed, then 400 names body.token', async () => {
      const res = await confirm('');

      expect(res.status).toBe(400);
      expect(problemOf(res).errors?.map((e) => e.field)).toEqual(['body.token']);
    });
  });

  it('given the routes, when /openapi.json is fetched, then it documents every user route', async () => {
    const res = await api().get('/openapi.json');

    const paths = (res.body as { paths: Record<string, object> }).paths;
    expect(res.status).toBe(200);
    expect(Object.keys(paths).sort()).toEqual([
      '/api/users',
      '/api/users/login',
      '/api/users/me',
      '/api/users/me/password',
      '/api/users/password-reset',
      '/api/users/password-reset/confirm',
    ]);
    expect(Object.keys(paths['/api/users'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/users/me'] ?? {}).sort()).toEqual(['get', 'patch']);
  });

  it('given the routes, when /openapi.json is fetched, then the login documents the 401 it answers a wrong password with', async () => {
    const res = await api().get('/openapi.json');

    const login = (res.body as { paths: Record<string, { post?: { responses: Record<string, unknown> } }> }).paths['/api/users/login'];
    expect(Object.keys(login?.post?.responses ?? {})).toContain('401');
  });

  describe('the time a reset request takes', () => {
    const ANSWER_MS = 150;

    it('given a floor of 150 ms, when a registered and an unknown address ask for a reset, then neither answers sooner', async () => {
      const ports = fakeUserPorts();
      const routes = userRoutes({
        ...ports,
        tokens: auth.tokens,
        authenticated: auth.requireAuth(),
        adminOnly: auth.requireAuth(['admin']),
        adminEmails: [],
        newUserId: randomUUID,
        resetRequestAnswerMs: ANSWER_MS,
      });
      const { app } = routeTestApp({ routes, clock: () => NOW });
      expect((await request(app).post('/api/users').send({ email: 'timed@example.com', password: PASSWORD, name: 'T' })).status).toBe(201);

      const timings: number[] = [];
      for (const email of ['timed@example.com', 'untimed@example.com']) {
        const started = performance.now();
        expect((await request(app).post('/api/users/password-reset').send({ email })).status).toBe(202);
        timings.push(performance.now() - started);
      }

      expect(ports.sentResetLinks()).toHaveLength(1);
      for (const taken of timings) expect(taken).toBeGreaterThanOrEqual(ANSWER_MS - 1);
    });
  });
});
