import { z } from 'zod';

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected base64url');
const kid = z.string().min(1, 'a key id ("kid") is required so tokens can name their key');
const noPrivatePart = z
  .undefined({ error: 'private key material ("d") does not belong in a verification key' })
  .optional();

const ed25519 = { kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: base64url, kid };
const p256 = { kty: z.literal('EC'), crv: z.literal('P-256'), x: base64url, y: base64url, kid };

/** JWS algorithms the platform signs and verifies with: Ed25519 (`EdDSA`) or P-256 (`ES256`). */
export type SigningAlgorithm = 'EdDSA' | 'ES256';

const signingSchema = z.discriminatedUnion('kty', [
  z.object({ ...ed25519, d: base64url, alg: z.literal('EdDSA').optional() })
    .transform((jwk) => ({ ...jwk, alg: 'EdDSA' as const })),
  z.object({ ...p256, d: base64url, alg: z.literal('ES256').optional() })
    .transform((jwk) => ({ ...jwk, alg: 'ES256' as const })),
]);

const verificationSchema = z.discriminatedUnion('kty', [
  z.object({ ...ed25519, d: noPrivatePart, alg: z.literal('EdDSA').optional() })
    .transform(({ d: _d, ...jwk }) => ({ ...jwk, alg: 'EdDSA' as const })),
  z.object({ ...p256, d: noPrivatePart, alg: z.literal('ES256').optional() })
    .transform(({ d: _d, ...jwk }) => ({ ...jwk, alg: 'ES256' as const })),
]);

const verificationSetSchema = z.object({
  keys: z
    .array(verificationSchema)
    .min(1, 'at least one key is required')
    .refine((keys) => new Set(keys.map((key) => key.kid)).size === keys.length, 'key ids must be unique'),
});

/** A private signing key as a JWK, with its key id and algorithm always present. */
export type SigningJwk = z.output<typeof signingSchema>;
/** A public verification key as a JWK, with its key id and algorithm always present. */
export type VerificationJwk = z.output<typeof verificationSchema>;
/** A JWK Set of verification keys; listing an old key beside the new one keeps its tokens valid. */
export type VerificationJwks = z.output<typeof verificationSetSchema>;

/** Zod schema for a signing JWK (`{"kty":"OKP","crv":"Ed25519","kid":…,"x":…,"d":…}` or P-256). */
export const signingJwkSchema: z.ZodType<SigningJwk> = signingSchema;
/** Zod schema for a JWK Set of public verification keys. */
export const verificationJwksSchema: z.ZodType<VerificationJwks> = verificationSetSchema;

/** The public half of a signing key, for the verification key set of the service that issues. */
export function toVerificationJwk(key: SigningJwk): VerificationJwk {
  return key.kty === 'OKP'
    ? { kty: key.kty, crv: key.crv, x: key.x, kid: key.kid, alg: key.alg }
    : { kty: key.kty, crv: key.crv, x: key.x, y: key.y, kid: key.kid, alg: key.alg };
}
