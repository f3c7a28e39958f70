import { createTestDatabase, eventually, localServers, type TestDatabase } from '@msa/local';
import { createLogger, createService, loadConfig, route, type Service, type ServiceDefinition, serviceVariables } from '@msa/platform';
import request from 'supertest';
import { z } from 'zod';
import { problemOf } from './support/http.js';
import { PASSWORD, SERVER_TEST_TIMEOUT_MS, useUserService } from './support/service.js';

const servers = localServers();
const NEW_PASSWORD = 'a whole new passphrase';

/** Any other service of the platform, as far as tokens go: one route behind the kit's `requireAuth`. */
const probeConfig = z.object({ ...serviceVariables({ port: 0, database: 'probe' }) });
const probeService: ServiceDefinition<typeof probeConfig> = {
  name: 'probe',
  version: '1.0.0',
  config: probeConfig,
  build: ({ requireAuth }) => ({
    routes: [
      route(
        { method: 'get', path: '/whoami', auth: requireAuth(), responses: { 200: { description: 'the caller', body: z.object({ id: z.string() }) } } },
        ({ principal, reply }) => Promise.resolve(reply(200, { id: principal.userId })),
      ),
    ],
  }),
};

describe('Password changes retire older tokens on every service, through user.sessions and Redis', () => {
  const users = useUserService({ environment: { REDIS_URL: servers.redisUrl } });
  let database: TestDatabase;
  let probe: Service;

  // Built on the user service's namespace, so it reads the revocations the user service writes.
  beforeAll(async () => {
    database = await createTestDatabase('user_sessions_probe');
    const { JWT_PUBLIC_KEYS, JWT_ISSUER, JWT_AUDIENCE } = users.config;
    const config = loadConfig(probeConfig, {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: servers.kafkaBrokers.join(','),
      MONGO_URL: servers.mongoUrl,
      REDIS_URL: servers.redisUrl,
      JWT_PUBLIC_KEYS: JSON.stringify(JWT_PUBLIC_KEYS),
      JWT_ISSUER,
      JWT_AUDIENCE,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    });
    probe = await createService(probeService, config, { logger: createLogger({ service: 'probe', level: config.LOG_LEVEL }), namespace: users.namespace });
    await probe.start();
  }, SERVER_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await probe.stop();
    await database.drop();
  }, SERVER_TEST_TIMEOUT_MS);

  const whoami = (token: string) => request(probe.http.app).get('/whoami').set('authorization', `Bearer ${token}`);

  it('given token A admitted by another service, when the password changes, then that service refuses A and admits the new token B', async () => {
    const tokenA = await users.registerAndLogIn('everywhere@example.com');
    expect((await whoami(tokenA)).status).toBe(200);

    const changed = await users
      .api()
      .post('/api/users/me/password')
      .set('authorization', `Bearer ${tokenA}`)
      .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(changed.status).toBe(200);
    const tokenB = (changed.body as { accessToken: string }).accessToken;

    const refused = await eventually(async () => {
      const res = await whoami(tokenA);
      return res.status === 401 ? res : undefined;
    });
    expect(problemOf(refused).detail).toBe('the token has been revoked');
    expect((await whoami(tokenB)).status).toBe(200);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a password reset, when it is confirmed, then the other service refuses the tokens issued before it', async () => {
    const before = await users.registerAndLogIn('reset-everywhere@example.com');
    expect((await users.api().post('/api/users/password-reset').send({ email: 'reset-everywhere@example.com' })).status).toBe(202);
    const token = (await users.storedEvents()).flatMap(({ event }) =>
      event.eventType === 'PasswordResetRequested' && event.payload.email === 'reset-everywhere@example.com' ? [event.payload.resetToken] : [],
    )[0];

    expect((await users.api().post('/api/users/password-reset/confirm').send({ token, newPassword: NEW_PASSWORD })).status).toBe(204);

    await eventually(async () => ((await whoami(before)).status === 401 ? true : undefined));
  }, SERVER_TEST_TIMEOUT_MS);
});
