import { exportJWK, generateKeyPair } from 'jose';
import { signingJwkSchema, type SigningAlgorithm, type SigningJwk } from '../../config/jwk.js';

/** Options for `generateSigningKey`. */
export interface GenerateSigningKeyOptions {
  /** The key id tokens will carry in their header, so verifiers pick the right key after a rotation. */
  readonly kid: string;
  /** @default 'EdDSA' */
  readonly algorithm?: SigningAlgorithm;
}

/**
 * Creates a fresh signing key as a JWK, for tests and for provisioning a new key before a rotation.
 * Its public half (`toVerificationJwk`) goes into every verifier's key set.
 */
export async function generateSigningKey({ kid, algorithm = 'EdDSA' }: GenerateSigningKeyOptions): Promise<SigningJwk> {
  const { privateKey } = await generateKeyPair(algorithm, { extractable: true });
  return signingJwkSchema.parse({ ...(await exportJWK(privateKey)), kid, alg: algorithm });
}
