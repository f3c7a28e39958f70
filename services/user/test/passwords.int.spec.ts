import { problemOf } from './support/http.js';
import { PASSWORD, SERVER_TEST_TIMEOUT_MS, useUserService } from './support/service.js';

const NEW_PASSWORD = 'a whole new passphrase';

describe('User API: passwords, against PostgreSQL, Kafka and FerretDB', () => {
  const service = useUserService();
  const { api } = service;
  const bearer = (token: string) => `Bearer ${token}`;
  const me = (token: string) => api().get('/api/users/me').set('authorization', bearer(token));
  const changePassword = (token: string, currentPassword: string, newPassword: string) =>
    api().post('/api/users/me/password').set('authorization', bearer(token)).send({ currentPassword, newPassword });

  /** The reset link the service recorded last for `email`, as the notification service would mail it. */
  async function mailedLink(email: string): Promise<{ userId: string; token: string }> {
    const requests = (await service.storedEvents()).flatMap(({ event }) =>
      event.eventType === 'PasswordResetRequested' && event.payload.email === email
        ? [{ userId: event.payload.userId, token: event.payload.resetToken }]
        : [],
    );
    const link = requests.at(-1);
    if (link === undefined) throw new Error(`no reset link was recorded for ${email}`);
    return link;
  }

  it('given token A, when the password changes, then A is 401, the token the change returned works, and so does the new password', async () => {
    const tokenA = await service.registerAndLogIn('rotate@example.com');
    expect((await me(tokenA)).status).not.toBe(401);

    const changed = await changePassword(tokenA, PASSWORD, NEW_PASSWORD);

    expect(changed.status).toBe(200);
    const tokenB = (changed.body as { accessToken: string }).accessToken;
    const refused = await me(tokenA);
    expect(refused.status).toBe(401);
    expect(problemOf(refused).detail).toBe('the token has been revoked');
    expect((await me(tokenB)).status).not.toBe(401);
    expect((await api().post('/api/users/login').send({ email: 'rotate@example.com', password: PASSWORD })).status).toBe(401);
    const login = await api().post('/api/users/login').send({ email: 'rotate@example.com', password: NEW_PASSWORD });
    expect(login.status).toBe(200);
    expect((await me((login.body as { accessToken: string }).accessToken)).status).not.toBe(401);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a wrong current password, when changing it, then 422 names body.currentPassword and the token still works', async () => {
    const token = await service.registerAndLogIn('keep@example.com');

    const res = await changePassword(token, 'not the password at all', NEW_PASSWORD);

    expect(res.status).toBe(422);
    expect(problemOf(res).errors).toEqual([{ field: 'body.currentPassword', message: 'is incorrect' }]);
    expect((await me(token)).status).not.toBe(401);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a registered and an unknown address, when each asks for a reset, then the same 202 after the same floor, and only the first is recorded', async () => {
    await service.registerAndLogIn('reset-me@example.com');

    const timed = async (email: string) => {
      const started = performance.now();
      const res = await api().post('/api/users/password-reset').send({ email });
      return { res, ms: performance.now() - started };
    };

    const { res: known, ms: knownMs } = await timed('Reset-Me@example.com');
    const { res: unknown, ms: unknownMs } = await timed('no-account@example.com');

    expect([known.status, unknown.status]).toEqual([202, 202]);
    // Both wait out the answer floor (250 ms), which is what hides the known address's extra work.
    expect(Math.min(knownMs, unknownMs)).toBeGreaterThanOrEqual(249);
    expect(known.body).toEqual(unknown.body);
    const requested = (await service.storedEvents()).flatMap(({ event }) =>
      event.eventType === 'PasswordResetRequested' ? [event.payload.email] : [],
    );
    expect(requested).toContain('reset-me@example.com');
    expect(requested).not.toContain('no-account@example.com');
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a mailed link, when its token is confirmed, then 204, the old token is 401, the new password logs in and the link is spent', async () => {
    const before = await service.registerAndLogIn('lost@example.com');
    expect((await api().post('/api/users/password-reset').send({ email: 'lost@example.com' })).status).toBe(202);
    const { token } = await mailedLink('lost@example.com');

    const confirmed = await api().post('/api/users/password-reset/confirm').send({ token, newPassword: NEW_PASSWORD });

    expect(confirmed.status).toBe(204);
    expect((await me(before)).status).toBe(401);
    expect((await api().post('/api/users/login').send({ email: 'lost@example.com', password: NEW_PASSWORD })).status).toBe(200);
    const again = await api().post('/api/users/password-reset/confirm').send({ token, newPassword: 'yet another passphrase' });
    expect(again.status).toBe(400);
    expect(problemOf(again).errors).toEqual([{ field: 'body.token', message: 'is unknown, expired or already used' }]);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given one link confirmed eight times at once, when they race, then exactly one 204 and seven 400s naming body.token', async () => {
    await service.registerAndLogIn('race-reset@example.com');
    expect((await api().post('/api/users/password-reset').send({ email: 'race-reset@example.com' })).status).toBe(202);
    const { userId, token } = await mailedLink('race-reset@example.com');

    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => api().post('/api/users/password-reset/confirm').send({ token, newPassword: `${NEW_PASSWORD} ${i}` })),
    );

    expect(responses.map((res) => res.status).sort()).toEqual([204, 400, 400, 400, 400, 400, 400, 400]);
    const changes = (await service.storedEvents()).filter(
      ({ event }) => event.eventType === 'UserPasswordChanged' && event.aggregateId === userId,
    );
    expect(changes).toHaveLength(1);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a user, when they change their email without the current password, then 422 and the address stays theirs', async () => {
    const token = await service.registerAndLogIn('sticky@example.com');

    const res = await api().patch('/api/users/me').set('authorization', bearer(token)).send({ email: 'elsewhere-now@example.com' });

    expect(res.status).toBe(422);
    expect(problemOf(res).errors).toEqual([{ field: 'body.currentPassword', message: 'is required to change the email address' }]);
    expect((await api().post('/api/users/login').send({ email: 'sticky@example.com', password: PASSWORD })).status).toBe(200);
  }, SERVER_TEST_TIMEOUT_MS);
});
