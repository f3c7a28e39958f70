import { decodeJwt, importJWK, SignJWT } from 'jose';
import request from 'supertest';
import { z } from 'zod';
import {
  createHttpApp,
  createLogger,
  createPlatformMetrics,
  createTokenIssuer,
  generateSigningKey,
  ISSUED_AT_MS_CLAIM,
  MAX_TOKEN_LIFETIME_MS,
  requireAuth,
  route,
  toVerificationJwk,
  type HttpApp,
  type Principal,
  type RevocationCheck,
  type SigningJwk,
} from '../../../src/index.js';

const ISSUER = 'msa-user-service';
const AUDIENCE = 'msa-ecommerce';
const ADA: Principal = { userId: 'u-1', email: 'ada@example.com', roles: ['customer'] };
// Half a second into a second, so a token of the same second can be issued before or after it.
const CHANGED_AT = Date.parse('2026-12-01T10:00:00.500Z');

/** Revocations as a plain table: each user's "tokens valid after" instant, in epoch ms. */
function revokedBefore(validAfter: Readonly<Record<string, number>>): RevocationCheck {
  return (userId, issuedAtMs) => {
    const after = validAfter[userId];
    return Promise.resolve(after !== undefined && issuedAtMs < after);
  };
}

function appRevoking(key: SigningJwk, revocations: RevocationCheck): HttpApp {
  const http = createHttpApp({
    service: 'user',
    logger: createLogger({ service: 'user', level: 'silent' }),
    metrics: createPlatformMetrics(),
    openapi: { version: '1.0.0' },
  });
  const auth = requireAuth({ keys: { keys: [toVerificationJwk(key)] }, issuer: ISSUER, audience: AUDIENCE, revocations, clockToleranceSeconds: 60 * 60 * 24 * 365 * 10 });
  http.register(
    route(
      { method: 'get', path: '/api/users/me', auth, responses: { 200: { description: 'Me', body: z.object({ userId: z.string() }) } } },
      ({ principal, reply }) => reply(200, { userId: principal.userId }),
    ),
  );
  return http;
}

async function tokenIssuedAt(key: SigningJwk, atMs: number): Promise<string> {
  const issuer = await createTokenIssuer({ privateJwk: key, issuer: ISSUER, audience: AUDIENCE, ttlMs: MAX_TOKEN_LIFETIME_MS, now: () => new Date(atMs) });
  return (await issuer.issue(ADA)).token;
}

describe('requireAuth with token revocations', () => {
  let key: SigningJwk;
  let http: HttpApp;
  beforeAll(async () => {
    key = await generateSigningKey({ kid: 'revocation', algorithm: 'EdDSA' });
    http = appRevoking(key, revokedBefore({ [ADA.userId]: CHANGED_AT }));
  });

  it('given a token issued before its user’s revocation, when calling a guarded route, then 401 says only that it was revoked', async () => {
    const token = await tokenIssuedAt(key, CHANGED_AT - 60_000);

    const res = await request(http.app).get('/api/users/me').set('authorization', `Bearer ${token}`);

    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token", error_description="the token has been revoked"');
    expect(res.body).toMatchObject({ title: 'Unauthorized', detail: 'the token has been revoked' });
    expect(res.text).not.toContain('2026-12-01');
  });

  it('given a token issued earlier in the same second as the revocation, when calling a guarded route, then 401', async () => {
    const token = await tokenIssuedAt(key, CHANGED_AT - 200);

    const res = await request(http.app).get('/api/users/me').set('authorization', `Bearer ${token}`);

    expect(res.status).toBe(401);
  });

  it('given a token issued later in the same second as the revocation, when calling a guarded route, then the caller is admitted', async () => {
    const token = await tokenIssuedAt(key, CHANGED_AT + 200);

    const res = await request(http.app).get('/api/users/me').set('authorization', `Bearer ${token}`);

    expect(res.status).toBe(200);
  });

  it('given a token issued at the revocation’s very instant, when calling a guarded route, then the caller is admitted', async () => {
    const token = await tokenIssuedAt(key, CHANGED_AT);

    const res = await request(http.app).get('/api/users/me').set('authorization', `Bearer ${token}`);

    expect(res.status).toBe(200);
  });

  it('given another user’s revocation, when a token of a user without one calls, then the caller is admitted', async () => {
    const other = appRevoking(key, revokedBefore({ 'u-2': CHANGED_AT + 60_000 }));
    const token = await tokenIssuedAt(key, CHANGED_AT);

    const res = await request(other.app).get('/api/users/me').set('authorization', `Bearer ${token}`);

    expect(res.status).toBe(200);
  });

  it('given a token with only iat in seconds, issued later in the same second as the revocation, when calling a guarded route, then 401: the second rounds down to before the revocation', async () => {
    const token = await new SignJWT({ email: ADA.email, roles: [...ADA.roles] })
      .setProtectedHeader({ alg: key.alg, kid: key.kid })
      .setSubject(ADA.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(Math.floor((CHANGED_AT + 200) / 1000))
      .setExpirationTime(Math.floor(CHANGED_AT / 1000) + 3600)
      .sign(await importJWK(key, key.alg));

    const res = await request(http.app).get('/api/users/me').set('authorization', `Bearer ${token}`);

    expect(res.status).toBe(401);
  });

  it('given the issuer, when it signs a token, then the token carries its issue time in ms beside iat in seconds', async () => {
    const claims = decodeJwt(await tokenIssuedAt(key, CHANGED_AT));

    expect(claims[ISSUED_AT_MS_CLAIM]).toBe(CHANGED_AT);
    expect(claims.iat).toBe(Math.floor(CHANGED_AT / 1000));
  });

  it('given a lifetime longer than a revocation is kept, when the issuer is created, then it refuses', async () => {
    await expect(createTokenIssuer({ privateJwk: key, issuer: ISSUER, audience: AUDIENCE, ttlMs: MAX_TOKEN_LIFETIME_MS + 1 })).rejects.toThrow(RangeError);
  });
});
