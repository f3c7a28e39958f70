import { decodeJwt, decodeProtectedHeader } from 'jose';
import { z } from 'zod';
import {
  generateSigningKey,
  loadConfig,
  serviceVariables,
  signingKeyListed,
  tokenIssuerFrom,
  tokenSigningVariables,
  toVerificationJwk,
} from '../../src/index.js';
import { configProblems, serviceEnvironment } from '../../src/testing/index.js';

// A service that signs tokens: what every service reads, plus the signing fragment and its refine.
const schema = z
  .object({ ...serviceVariables({ port: 8089, database: 'issuer' }), ...tokenSigningVariables() })
  .superRefine(signingKeyListed);

async function signingEnvironment(listed?: Awaited<ReturnType<typeof generateSigningKey>>): Promise<Record<string, string>> {
  const environment = await serviceEnvironment({ database: 'issuer', signingKid: 'issuer-2026-01' });
  return listed === undefined ? environment : { ...environment, JWT_PUBLIC_KEYS: JSON.stringify({ keys: [toVerificationJwk(listed)] }) };
}


describe('the token signing variables', () => {
  it('given a signing key listed in JWT_PUBLIC_KEYS, when loaded, then the key stays secret and tokens last an hour', async () => {
    const config = loadConfig(schema, await signingEnvironment());

    expect(config.JWT_TTL).toBe(3_600_000);
    expect(String(config.JWT_PRIVATE_KEY)).toBe('[redacted]');
    expect(config.JWT_PRIVATE_KEY.reveal()).toMatchObject({ kid: 'issuer-2026-01', alg: 'EdDSA' });
  });

  it('given a P-256 signing key listed in JWT_PUBLIC_KEYS and a TTL, when loaded, then both are accepted', async () => {
    const key = await generateSigningKey({ kid: 'issuer-ec', algorithm: 'ES256' });
    const env = {
      ...(await signingEnvironment()),
      JWT_PRIVATE_KEY: JSON.stringify(key),
      JWT_PUBLIC_KEYS: JSON.stringify({ keys: [toVerificationJwk(key)] }),
      JWT_TTL: '15m',
    };

    expect(loadConfig(schema, env).JWT_TTL).toBe(900_000);
  });

  it('given a TTL longer than a day, when loaded, then JWT_TTL is named: a token must not outlive its revocation', async () => {
    const env = { ...(await signingEnvironment()), JWT_TTL: '2d' };

    expect(configProblems(() => loadConfig(schema, env))).toEqual([{ variable: 'JWT_TTL', message: 'expected from 1s to 1d, the time a token revocation is kept' }]);
  });

  it('given public keys that list another key under the signing key’s kid, when loaded, then JWT_PUBLIC_KEYS is named', async () => {
    const impostor = await generateSigningKey({ kid: 'issuer-2026-01' });

    const env = await signingEnvironment(impostor);

    expect(configProblems(() => loadConfig(schema, env))).toEqual([
      { variable: 'JWT_PUBLIC_KEYS', message: 'must include the public half of JWT_PRIVATE_KEY under its kid "issuer-2026-01"' },
    ]);
  });

  it('given public keys without the signing key’s kid, when loaded, then JWT_PUBLIC_KEYS is named', async () => {
    const other = await generateSigningKey({ kid: 'issuer-2025-12' });

    const env = await signingEnvironment(other);

    expect(configProblems(() => loadConfig(schema, env))).toEqual([
      { variable: 'JWT_PUBLIC_KEYS', message: 'must include the public half of JWT_PRIVATE_KEY under its kid "issuer-2026-01"' },
    ]);
  });

  it('given a loaded configuration, when its issuer signs, then the token names the key and carries the issuer, audience and TTL', async () => {
    const issuer = await tokenIssuerFrom(loadConfig(schema, { ...(await signingEnvironment()), JWT_TTL: '10m' }));

    const { token, expiresAt } = await issuer.issue({ userId: 'u-1', email: 'kim@example.com', roles: ['customer'] });

    expect(decodeProtectedHeader(token)).toMatchObject({ kid: 'issuer-2026-01', alg: 'EdDSA' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: 'u-1', iss: 'msa-ecommerce/user', aud: 'msa-ecommerce' });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(600);
    expect(expiresAt.getTime()).toBe((claims.exp ?? 0) * 1000);
  });
});
