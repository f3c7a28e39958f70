import { honouringRetryAfter } from '@msa/local';
import type request from 'supertest';
import { problemOf, type UserBody, userOf } from './support/http.js';
import { eventually, PASSWORD, SERVER_TEST_TIMEOUT_MS, type SharedTestService, useUserService } from './support/service.js';

/** The API calls the specs make, on one service. */
function client(service: SharedTestService) {
  const { api } = service;
  const login = (email: string, secret = PASSWORD) => api().post('/api/users/login').send({ email, password: secret });
  return {
    register: (email: string, name = 'Kim Minji') => api().post('/api/users').send({ email, password: PASSWORD, name }),
    login,
    tokenFor: async (email: string): Promise<string> => {
      const res = await login(email);
      expect(res.status).toBe(200);
      return (res.body as { accessToken: string }).accessToken;
    },
    /** GET /me once the read model has the profile at `version` or later. */
    profileAt: (token: string, version = 1): Promise<UserBody> =>
      eventually(async () => {
        const res = await api().get('/api/users/me').set('authorization', `Bearer ${token}`);
        return res.status === 200 && userOf(res).version >= version ? userOf(res) : undefined;
      }),
  };
}

describe('User API against PostgreSQL, Kafka and FerretDB', () => {
  const service = useUserService();
  const { api } = service;
  const { register, login, tokenFor, profileAt } = client(service);

  it('given a new address, when registering, then 201 with the profile, found at /api/users/me', async () => {
    const registered = await register('minji@example.com');

    expect(registered.status).toBe(201);
    expect(registered.headers.location).toBe('/api/users/me');
    expect(userOf(registered)).toEqual({
      id: userOf(registered).id,
      email: 'minji@example.com',
      name: 'Kim Minji',
      role: 'customer',
      version: 1,
    });
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a registered user, when logging in and reading /me, then the profile comes back without secrets', async () => {
    const registered = await register('jiwoo@example.com');
    expect(registered.status).toBe(201);

    const token = await tokenFor('JIWOO@example.com');
    const me = await profileAt(token);

    expect(me).toEqual(userOf(registered));
    const stored = await service.storedEvents();
    expect(JSON.stringify([registered.body, me, stored])).not.toMatch(/horse|scrypt|password/i);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a registered address, when it registers again in another case, then 409 problem+json names body.email', async () => {
    expect((await register('dup@example.com')).status).toBe(201);

    const again = await register('DUP@Example.COM');

    expect(again.status).toBe(409);
    expect(problemOf(again)).toMatchObject({
      status: 409,
      detail: 'the email address is already registered',
      errors: [{ field: 'body.email', message: 'is already registered' }],
    });
  }, SERVER_TEST_TIMEOUT_MS);

  it('given 20 registrations of one address in different cases at once, when they race, then exactly one is created', async () => {
    const spellings = Array.from({ length: 20 }, (_, i) =>
      Array.from('race@example.com', (c, j) => ((i >> j % 5) & 1 ? c.toUpperCase() : c)).join(''),
    );
    expect(new Set(spellings).size).toBe(20);

    // A registration answered 503 (no pool connection in time on a loaded machine) created nothing
    // and is sent again after its Retry-After, as a client would: the race is about the other answers.
    const responses = await Promise.all(spellings.map((email) => honouringRetryAfter(() => register(email))));

    const created = responses.filter((res) => res.status === 201);
    expect(responses.map((res) => res.status).sort()).toEqual([201, ...Array.from({ length: 19 }, () => 409)]);
    const creations = (await service.storedEvents()).filter(
      ({ event }) => event.eventType === 'UserCreated' && event.payload.email.toLowerCase() === 'race@example.com',
    );
    expect(creations.map(({ event }) => event.aggregateId)).toEqual(created.map((res) => userOf(res).id));
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a password the policy refuses, when registering, then no account is made and logging in with it is 401', async () => {
    const res = await api().post('/api/users').send({ email: 'weakling@example.com', password: 'WEAKLING', name: 'W' });
    expect(res.status).toBe(422);

    expect((await login('weakling@example.com', 'WEAKLING')).status).toBe(401);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a wrong password or an unknown address, when logging in, then both are the same 401', async () => {
    expect((await register('login@example.com')).status).toBe(201);

    const wrong = await login('login@example.com', 'not the password at all');
    const unknown = await login('nobody@example.com');

    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(problemOf(res).detail).toBe('the email or password is not correct');
    }
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a token whose claims were changed, when reading /me, then 401: the signature does not verify', async () => {
    expect((await register('tamper@example.com')).status).toBe(201);
    const token = await tokenFor('tamper@example.com');
    const [header = '', payload = '', signature = ''] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url');

    const tampered = await api().get('/api/users/me').set('authorization', `Bearer ${header}.${forged}.${signature}`);

    expect(tampered.status).toBe(401);
    expect(problemOf(tampered).detail).toBe('the token signature does not verify');
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a user, when they change name and email, then 200 with the new profile, which /me then serves', async () => {
    expect((await register('before@example.com')).status).toBe(201);
    const token = await tokenFor('before@example.com');

    const patched = await api()
      .patch('/api/users/me')
      .set('authorization', `Bearer ${token}`)
      .send({ name: 'Kim Min-ji', email: 'After@Example.com', currentPassword: PASSWORD });

    expect(patched.status).toBe(200);
    expect(userOf(patched)).toMatchObject({ email: 'After@Example.com', name: 'Kim Min-ji', version: 2 });
    expect(await profileAt(token, 2)).toEqual(userOf(patched));
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a user who changed their email, when logging in, then the new address works and the old one is refused', async () => {
    expect((await register('moving@example.com')).status).toBe(201);
    const token = await tokenFor('moving@example.com');
    const moved = await api().patch('/api/users/me').set('authorization', `Bearer ${token}`).send({ email: 'Moved@Example.com', currentPassword: PASSWORD });
    expect(moved.status).toBe(200);

    expect((await login('moving@example.com')).status).toBe(401);
    expect((await login('moved@example.com')).status).toBe(200);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a user who changed their email, when someone registers the old address, then it is free: 201', async () => {
    expect((await register('vacated@example.com')).status).toBe(201);
    const token = await tokenFor('vacated@example.com');
    const moved = await api().patch('/api/users/me').set('authorization', `Bearer ${token}`).send({ email: 'elsewhere@example.com', currentPassword: PASSWORD });
    expect(moved.status).toBe(200);

    expect((await register('vacated@example.com')).status).toBe(201);
  }, SERVER_TEST_TIMEOUT_MS);

  it("given a user, when they take another account's address, then 409 names body.email", async () => {
    expect((await register('owner@example.com')).status).toBe(201);
    expect((await register('taker@example.com')).status).toBe(201);
    const token = await tokenFor('taker@example.com');

    const taken = await api().patch('/api/users/me').set('authorization', `Bearer ${token}`).send({ email: 'OWNER@example.com', currentPassword: PASSWORD });

    expect(taken.status).toBe(409);
    expect(problemOf(taken).errors).toEqual([{ field: 'body.email', message: 'is already registered' }]);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given the running service, when /health/ready is probed, then postgres, kafka, mongo and both consumers are up', async () => {
    const res = await api().get('/health/ready');

    const checks = (res.body as { checks: { name: string; status: string }[] }).checks;
    expect(res.status).toBe(200);
    expect(checks.map((check) => `${check.name}:${check.status}`)).toEqual([
      'postgres:up',
      'kafka:up',
      'mongo:up',
      expect.stringMatching(/^kafka-consumer:user\.read-model\..+:up$/),
      expect.stringMatching(/^kafka-consumer:user\.sessions\..+:up$/),
    ]);
  }, SERVER_TEST_TIMEOUT_MS);
});

describe('User API: the admin listing, on a service of its own', () => {
  const service = useUserService({ adminEmails: ['Ops@Example.com'] });
  const { api } = service;
  const { register, tokenFor } = client(service);
  let adminRegistration: request.Response;
  let asAdmin: (path: string) => request.Test;
  let registered: number;

  // The listing is in registration order, so its users register one after another, before any spec.
  beforeAll(async () => {
    for (const email of ['minji@example.com', 'dup@example.com', 'race@example.com', 'login@example.com']) {
      expect((await register(email)).status).toBe(201);
    }
    adminRegistration = await register('ops@example.com', 'Operator');
    const adminToken = await tokenFor('ops@example.com');
    asAdmin = (path) => api().get(path).set('authorization', `Bearer ${adminToken}`);
    registered = (await service.storedEvents()).filter(({ event }) => event.eventType === 'UserCreated').length;
    await eventually(async () => {
      const res = await asAdmin('/api/users?pageSize=1');
      return (res.body as { total?: number }).total === registered ? res : undefined;
    });
  }, SERVER_TEST_TIMEOUT_MS);

  it('given an address on ADMIN_EMAILS, when it registers, then it is admin', () => {
    expect(userOf(adminRegistration).role).toBe('admin');
  });

  it('given an admin, when paging through users, then the pages hold them in registration order, with the total', async () => {
    const first = await asAdmin('/api/users?page=1&pageSize=3');
    const second = await asAdmin('/api/users?page=2&pageSize=3');

    const page = first.body as { items: UserBody[]; page: number; pageSize: number; total: number };
    expect(first.status).toBe(200);
    expect(page).toMatchObject({ page: 1, pageSize: 3 });
    expect(page.total).toBe(registered);
    expect(page.items.map((user) => user.email)).toEqual(['minji@example.com', 'dup@example.com', expect.stringMatching(/^race@/i)]);
    expect((second.body as { items: UserBody[] }).items[0]?.email).toBe('login@example.com');
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a customer, when listing users, then 403', async () => {
    const customerToken = await tokenFor('minji@example.com');

    const forbidden = await api().get('/api/users').set('authorization', `Bearer ${customerToken}`);

    expect(forbidden.status).toBe(403);
  }, SERVER_TEST_TIMEOUT_MS);
});
