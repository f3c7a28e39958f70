import request from 'supertest';
import { z } from 'zod';
import {
  createHttpApp,
  createLogger,
  createPlatformMetrics,
  createTokenIssuer,
  generateSigningKey,
  principalOf,
  requireAuth,
  route,
  toVerificationJwk,
  type HttpApp,
  type Principal,
  type SigningJwk,
  type VerificationJwks,
} from '../../src/index.js';
import { captureLines } from '../telemetry/capture.js';

const ISSUER = 'msa-user-service';
const AUDIENCE = 'msa-ecommerce';
const ADA: Principal = { userId: 'u-1', email: 'ada@example.com', roles: ['customer'] };
const GRACE: Principal = { userId: 'u-2', email: 'grace@example.com', roles: ['customer', 'admin'] };
const PrincipalBody = z.object({ userId: z.string(), email: z.string(), roles: z.array(z.string()) });

function appVerifying(keys: VerificationJwks): HttpApp {
  const { destination } = captureLines();
  const http = createHttpApp({
    service: 'user',
    logger: createLogger({ service: 'user', destination }),
    metrics: createPlatformMetrics(),
    openapi: { version: '1.0.0' },
  });
  const verified = { keys, issuer: ISSUER, audience: AUDIENCE };
  http.register(
    route(
      {
        method: 'get',
        path: '/api/users/me',
        auth: requireAuth(verified),
        responses: { 200: { description: 'Me', body: PrincipalBody } },
      },
      ({ principal, reply }) => reply(200, principal),
    ),
    route(
      {
        method: 'get',
        path: '/api/admin/users',
        auth: requireAuth({ ...verified, roles: ['admin'] }),
        responses: { 200: { description: 'Users', body: z.array(z.string()) } },
      },
      ({ reply }) => reply(200, [ADA.email, GRACE.email]),
    ),
    route(
      { method: 'get', path: '/api/forgot-guard', responses: { 200: { description: 'Me', body: PrincipalBody } } },
      ({ req, reply }) => reply(200, principalOf(req)),
    ),
  );
  return http;
}

function issuerFor(key: SigningJwk, options: { audience?: string; now?: () => Date } = {}) {
  return createTokenIssuer({ privateJwk: key, issuer: ISSUER, audience: AUDIENCE, ttlMs: 15 * 60_000, ...options });
}

describe('requireAuth and createTokenIssuer', () => {
  let current: SigningJwk;
  let http: HttpApp;
  beforeAll(async () => {
    current = await generateSigningKey({ kid: '2026-01', algorithm: 'EdDSA' });
    http = appVerifying({ keys: [toVerificationJwk(current)] });
  });

  it('given a token from the issuer, when calling a guarded route, then the handler gets the principal', async () => {
    const { token, tokenType, expiresAt } = await (await issuerFor(current)).issue(ADA);

    const res = await request(http.app).get('/api/users/me').set('authorization', `${tokenType} ${token}`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: 'u-1', email: 'ada@example.com', roles: ['customer'] });
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
  });

  it('given no token, when calling a guarded route, then 401 problem+json challenges for Bearer', async () => {
    const res = await request(http.app).get('/api/users/me');

    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ title: 'Unauthorized', detail: 'a bearer token is required' });
  });

  it('given a tampered token, when calling a guarded route, then 401 invalid_token', async () => {
    const { token } = await (await issuerFor(current)).issue(ADA);
    const [header, , signature] = token.split('.');
    const forgedClaims = Buffer.from(JSON.stringify({ sub: 'u-1', email: ADA.email, roles: ['admin'] })).toString('base64url');

    const res = await request(http.app)
      .get('/api/admin/users')
      .set('authorization', `Bearer ${String(header)}.${forgedClaims}.${String(signature)}`);

    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    expect(res.body).toMatchObject({ detail: 'the token signature does not verify' });
  });

  it('given an expired token, when calling a guarded route, then 401 says it expired', async () => {
    const anHourAgo = () => new Date(Date.now() - 60 * 60_000);
    const { token } = await (await issuerFor(current, { now: anHourAgo })).issue(ADA);

    const res = await request(http.app).get('/api/users/me').set('authorization', `Bearer ${token}`);

    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ detail: 'the token has expired' });
  });

  it('given a token for another audience, when calling a guarded route, then 401', async () => {
    const { token } = await (await issuerFor(current, { audience: 'someone-else' })).issue(ADA);

    const res = await request(http.app).get('/api/users/me').set('authorization', `Bearer ${token}`);

    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ detail: "the token's aud claim is not accepted" });
  });

  it('given a token signed by a key nobody listed, when calling a guarded route, then 401', async () => {
    const stranger = await generateSigningKey({ kid: 'stranger', algorithm: 'EdDSA' });
    const { token } = await (await issuerFor(stranger)).issue(ADA);

    const res = await request(http.app).get('/api/users/me').set('authorization', `Bearer ${token}`);

    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ detail: 'the token was signed by an unknown key' });
  });

  it('given a header that is not a bearer token, when calling a guarded route, then 401', async () => {
    const res = await request(http.app).get('/api/users/me').set('authorization', 'Basic YWRhOnB3');

    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ detail: 'the Authorization header must be "Bearer <token>"' });
  });

  it('given a customer, when calling an admin route, then 403; given an admin, then 200', async () => {
    const issuer = await issuerFor(current);
    const customer = await issuer.issue(ADA);
    const admin = await issuer.issue(GRACE);

    const refused = await request(http.app).get('/api/admin/users').set('authorization', `Bearer ${customer.token}`);
    const allowed = await request(http.app).get('/api/admin/users').set('authorization', `Bearer ${admin.token}`);

    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ title: 'Forbidden', detail: 'this action requires the role admin' });
    expect(allowed.status).toBe(200);
  });

  it('given a route that forgot its guard, when it asks for the principal, then it fails closed with 401', async () => {
    const res = await request(http.app).get('/api/forgot-guard');

    expect(res.status).toBe(401);
  });

  it('given guarded routes, when documented, then they require bearer auth and list 401 and 403', () => {
    const document = http.openApiDocument();
    const me = document.paths?.['/api/users/me']?.get;
    const admin = document.paths?.['/api/admin/users']?.get;

    expect(document.components?.securitySchemes).toEqual({ bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } });
    expect(me?.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(me?.responses ?? {})).toEqual(['200', '401', '500', '503']);
    expect(Object.keys(admin?.responses ?? {})).toEqual(['200', '401', '403', '500', '503']);
  });
});

describe('key rotation', () => {
  it('given the old key still listed beside the new one, when tokens of both arrive, then both verify; once it is removed, the old one is refused', async () => {
    const old = await generateSigningKey({ kid: '2025-12', algorithm: 'ES256' });
    const next = await generateSigningKey({ kid: '2026-01', algorithm: 'EdDSA' });
    const oldToken = (await (await issuerFor(old)).issue(ADA)).token;
    const newToken = (await (await issuerFor(next)).issue(ADA)).token;
    const duringRotation = appVerifying({ keys: [toVerificationJwk(next), toVerificationJwk(old)] });
    const afterRotation = appVerifying({ keys: [toVerificationJwk(next)] });

    const statuses = await Promise.all([
      request(duringRotation.app).get('/api/users/me').set('authorization', `Bearer ${oldToken}`),
      request(duringRotation.app).get('/api/users/me').set('authorization', `Bearer ${newToken}`),
      request(afterRotation.app).get('/api/users/me').set('authorization', `Bearer ${oldToken}`),
      request(afterRotation.app).get('/api/users/me').set('authorization', `Bearer ${newToken}`),
    ]);

    expect(statuses.map((res) => res.status)).toEqual([200, 200, 401, 200]);
  });
});

describe('createTokenIssuer', () => {
  it('given a lifetime under a second, when created, then it refuses', async () => {
    const key = await generateSigningKey({ kid: 'k', algorithm: 'EdDSA' });

    await expect(createTokenIssuer({ privateJwk: key, issuer: ISSUER, audience: AUDIENCE, ttlMs: 500 })).rejects.toThrow(RangeError);
  });
});
