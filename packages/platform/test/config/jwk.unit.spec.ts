import { z } from 'zod';
import { ConfigError, env, generateSigningKey, loadConfig, toVerificationJwk, type SigningJwk } from '../../src/index.js';

function without(key: SigningJwk, property: keyof SigningJwk): Record<string, unknown> {
  return Object.fromEntries(Object.entries(key).filter(([name]) => name !== property));
}

const schema = z.object({ JWT_SIGNING_KEY: env.signingKey(), JWT_VERIFICATION_KEYS: env.verificationKeys() });

describe('JWK configuration', () => {
  it('given a signing key and its key set as JSON, when loaded, then both parse with kid and alg', async () => {
    const key = await generateSigningKey({ kid: 'k1', algorithm: 'EdDSA' });
    const withoutAlg = without(key, 'alg');

    const config = loadConfig(schema, {
      JWT_SIGNING_KEY: JSON.stringify(withoutAlg),
      JWT_VERIFICATION_KEYS: JSON.stringify({ keys: [toVerificationJwk(key)] }),
    });

    expect(config.JWT_SIGNING_KEY.reveal()).toEqual(key);
    expect(config.JWT_VERIFICATION_KEYS.keys).toEqual([{ kty: 'OKP', crv: 'Ed25519', x: key.x, kid: 'k1', alg: 'EdDSA' }]);
    expect(JSON.stringify(config)).not.toContain(key.d);
  });

  it('given a private key among the verification keys, when loaded, then it is refused', async () => {
    const key = await generateSigningKey({ kid: 'k1', algorithm: 'ES256' });

    const run = () =>
      loadConfig(schema, {
        JWT_SIGNING_KEY: JSON.stringify(key),
        JWT_VERIFICATION_KEYS: JSON.stringify({ keys: [key] }),
      });

    expect(run).toThrow(/JWT_VERIFICATION_KEYS\.keys\[0\]\.d: private key material/);
  });

  it('given a key without kid and a key that is not JSON, when loaded, then both are named without echoing', async () => {
    const key = without(await generateSigningKey({ kid: 'k1', algorithm: 'EdDSA' }), 'kid');

    try {
      loadConfig(schema, { JWT_SIGNING_KEY: JSON.stringify(key), JWT_VERIFICATION_KEYS: `{"keys": [${String(key.d)}` });
      throw new Error('expected a ConfigError');
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      expect(error.problems.map((p) => p.variable)).toEqual(['JWT_SIGNING_KEY.kid', 'JWT_VERIFICATION_KEYS']);
      expect(error.message).not.toContain(String(key.d));
    }
  });

  it('given two keys with the same kid, when loaded, then the set is refused', async () => {
    const a = toVerificationJwk(await generateSigningKey({ kid: 'same', algorithm: 'EdDSA' }));
    const b = toVerificationJwk(await generateSigningKey({ kid: 'same', algorithm: 'ES256' }));

    const keys = z.object({ KEYS: env.verificationKeys() });

    expect(() => loadConfig(keys, { KEYS: JSON.stringify({ keys: [a, b] }) })).toThrow(/key ids must be unique/);
  });
});
