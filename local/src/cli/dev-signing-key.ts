/**
 * Prints a fresh Ed25519 signing key as JSON: `{ "privateJwk": {...}, "publicJwks": { "keys": [...] } }`,
 * each with the same `kid`. local/up makes one per state dir so the services started by `npm start`
 * share a token signing key; clusters get theirs from a Secret instead.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const kid = `local-${randomUUID()}`;
const common = { kid, alg: 'EdDSA', use: 'sig' };

process.stdout.write(
  `${JSON.stringify({
    privateJwk: { ...privateKey.export({ format: 'jwk' }), ...common },
    publicJwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), ...common }] },
  })}\n`,
);
