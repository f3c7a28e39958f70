import type { Problem } from '@msa/platform';
import type request from 'supertest';
import { eventually, PASSWORD, SERVER_TEST_TIMEOUT_MS, useUserService } from './support/service.js';

interface UserBody {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: string;
  readonly version: number;
}

/** The response as the RFC 9457 problem it must be. */
function problemOf(res: request.Response): Problem {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.body as Problem;
}

function userOf(res: request.Response): UserBody {
  return res.body as UserBody;
}

describe('User API against PostgreSQL, Kafka and FerretDB', () => {
  const service = useUserService({ adminEmails: ['Ops@Example.com'] });
  const { api } = service;

  function register(email: string, name = 'Kim Minji') {
    return api().post('/api/users').send({ email, password: PASSWORD, name });
  }

  function login(email: string, secret = PASSWORD) {
    return api().post('/api/users/login').send({ email, password: secret });
  }

  async function tokenFor(email: string): Promise<string> {
    const res = await login(email);
    expect(res.status).toBe(200);
    return (res.body as { accessToken: string }).accessToken;
  }

  /** GET /me once the read model has the profile at `version` or later. */
  function profileAt(token: string, version = 1): Promise<UserBody> {
    return eventually(async () => {
      const res = await api().get('/api/users/me').set('authorization', `Bearer ${token}`);
      return res.status === 200 && userOf(res).version >= version ? userOf(res) : undefined;
    });
  }

  it('given a new address, when registering, logging in and reading /me, then the profile comes back without secrets', async () => {
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

    const token = await tokenFor('MINJI@example.com');
    const me = await profileAt(token);

    expect(me).toEqual(userOf(registered));
    const stored = await service.store.readAll(0, 10_000);
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

    const responses = await Promise.all(spellings.map((email) => register(email)));

    const created = responses.filter((res) => res.status === 201);
    expect(created).toHaveLength(1);
    expect(responses.filter((res) => res.status === 409)).toHaveLength(19);
    const creations = (await service.store.readAll(0, 10_000)).filter(
      ({ event }) => event.eventType === 'UserCreated' && event.payload.email.toLowerCase() === 'race@example.com',
    );
    expect(creations.map(({ event }) => event.aggregateId)).toEqual(created.map((res) => userOf(res).id));
  }, SERVER_TEST_TIMEOUT_MS);

  it('given malformed JSON, when registering, then 400 names the body', async () => {
    const res = await api().post('/api/users').set('content-type', 'application/json').send('{"email": "a@b.cd",');

    expect(res.status).toBe(400);
    expect(problemOf(res).errors).toEqual([{ field: 'body', message: 'malformed JSON' }]);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a missing name and a numeric password, when registering, then 400 names both fields', async () => {
    const res = await api().post('/api/users').send({ email: 'fields@example.com', password: 123456789012 });

    expect(res.status).toBe(400);
    expect(problemOf(res).errors).toEqual([
      { field: 'body.password', message: 'Invalid input: expected string, received number' },
      { field: 'body.name', message: 'Required' },
    ]);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given an invalid email, when registering, then 400 names body.email', async () => {
    const res = await register('not-an-address');

    expect(res.status).toBe(400);
    expect(problemOf(res).errors).toEqual([{ field: 'body.email', message: 'Invalid email address' }]);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a password the policy refuses, when registering, then 422 names body.password with every reason', async () => {
    const res = await api().post('/api/users').send({ email: 'weakling@example.com', password: 'WEAKLING', name: 'W' });

    expect(res.status).toBe(422);
    expect(problemOf(res).errors).toEqual([
      { field: 'body.password', message: 'must be at least 12 characters' },
      { field: 'body.password', message: 'must not be the email address or its name part' },
    ]);
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

  it('given no token or a tampered one, when reading /me, then 401 with a Bearer challenge', async () => {
    expect((await register('tamper@example.com')).status).toBe(201);
    const token = await tokenFor('tamper@example.com');
    const [header = '', payload = '', signature = ''] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url');

    const missing = await api().get('/api/users/me');
    const tampered = await api().get('/api/users/me').set('authorization', `Bearer ${header}.${forged}.${signature}`);

    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect(tampered.status).toBe(401);
    expect(problemOf(tampered).detail).toBe('the token signature does not verify');
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a user, when they change name and email, then the old address frees up and the new one logs in', async () => {
    expect((await register('before@example.com')).status).toBe(201);
    const token = await tokenFor('before@example.com');

    const patched = await api()
      .patch('/api/users/me')
      .set('authorization', `Bearer ${token}`)
      .send({ name: 'Kim Min-ji', email: 'After@Example.com' });

    expect(patched.status).toBe(200);
    expect(userOf(patched)).toMatchObject({ email: 'After@Example.com', name: 'Kim Min-ji', version: 2 });
    expect(await profileAt(token, 2)).toEqual(userOf(patched));
    expect((await login('before@example.com')).status).toBe(401);
    expect((await login('after@example.com')).status).toBe(200);
    expect((await register('before@example.com')).status).toBe(201);
  }, SERVER_TEST_TIMEOUT_MS);

  it("given a user, when they take another account's address, set their role or send nothing, then 409, 400 and 400", async () => {
    expect((await register('owner@example.com')).status).toBe(201);
    expect((await register('taker@example.com')).status).toBe(201);
    const token = await tokenFor('taker@example.com');
    const patch = (body: object) => api().patch('/api/users/me').set('authorization', `Bearer ${token}`).send(body);

    const taken = await patch({ email: 'OWNER@example.com' });
    const role = await patch({ role: 'admin' });
    const empty = await patch({});

    expect(taken.status).toBe(409);
    expect(problemOf(taken).errors).toEqual([{ field: 'body.email', message: 'is already registered' }]);
    expect(role.status).toBe(400);
    expect(problemOf(role).errors).toEqual([{ field: 'body', message: 'Unrecognized key: "role"' }]);
    expect(empty.status).toBe(400);
    expect(problemOf(empty).errors).toEqual([{ field: 'body', message: 'an update must name at least one of name, email, phone' }]);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given an address on ADMIN_EMAILS, when it registers, then it is admin and can page through users; a customer cannot', async () => {
    const adminRegistration = await register('ops@example.com', 'Operator');
    expect(userOf(adminRegistration).role).toBe('admin');
    const adminToken = await tokenFor('ops@example.com');
    const customerToken = await tokenFor('minji@example.com');
    const asAdmin = (path: string) => api().get(path).set('authorization', `Bearer ${adminToken}`);
    const registered = (await service.store.readAll(0, 10_000)).filter(({ event }) => event.eventType === 'UserCreated');
    await eventually(async () => {
      const res = await asAdmin('/api/users?pageSize=1');
      return (res.body as { total?: number }).total === registered.length ? res : undefined;
    });

    const first = await asAdmin('/api/users?page=1&pageSize=3');
    const second = await asAdmin('/api/users?page=2&pageSize=3');
    const forbidden = await api().get('/api/users').set('authorization', `Bearer ${customerToken}`);
    const badPage = await asAdmin('/api/users?page=0&pageSize=500');

    const page = first.body as { items: UserBody[]; page: number; pageSize: number; total: number };
    expect(first.status).toBe(200);
    expect(page).toMatchObject({ page: 1, pageSize: 3 });
    expect(page.total).toBe(registered.length);
    expect(page.items.map((user) => user.email)).toEqual(['minji@example.com', 'dup@example.com', expect.stringMatching(/^race@/i)]);
    expect((second.body as { items: UserBody[] }).items[0]?.email).toBe('login@example.com');
    expect(forbidden.status).toBe(403);
    expect(badPage.status).toBe(400);
    expect(problemOf(badPage).errors?.map((e) => e.field)).toEqual(['query.page', 'query.pageSize']);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given the running service, when /openapi.json is fetched, then it documents every user route', async () => {
    const res = await api().get('/openapi.json');

    const paths = (res.body as { paths: Record<string, object> }).paths;
    expect(res.status).toBe(200);
    expect(Object.keys(paths).sort()).toEqual(['/api/users', '/api/users/login', '/api/users/me']);
    expect(Object.keys(paths['/api/users'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/users/me'] ?? {}).sort()).toEqual(['get', 'patch']);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given the running service, when /health/ready is probed, then postgres, mongo and the consumer are up', async () => {
    const res = await api().get('/health/ready');

    const checks = (res.body as { checks: { name: string; status: string }[] }).checks;
    expect(res.status).toBe(200);
    expect(checks.map((check) => `${check.name}:${check.status}`)).toEqual([
      'postgres:up',
      'mongo:up',
      expect.stringMatching(/^kafka-consumer:user\.read-model\..+:up$/),
    ]);
  }, SERVER_TEST_TIMEOUT_MS);
});
