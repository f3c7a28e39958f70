import { z } from 'zod';
import { env } from '../config/env.js';
import { toVerificationJwk, type SigningJwk, type VerificationJwk, type VerificationJwks } from '../config/jwk.js';
import type { Secret } from '../config/secret.js';
import { createTokenIssuer, type TokenIssuer } from '../http/auth/token-issuer.js';
import { MAX_TOKEN_LIFETIME_MS } from '../http/auth/token-revocations.js';

/**
 * The variables of a service that signs tokens, beside `serviceVariables` (which every service reads
 * to verify them): `JWT_PRIVATE_KEY`, the current signing key, and `JWT_TTL`, how long a token lasts.
 * Add `signingKeyListed` as the schema's refine, so the two halves cannot drift apart:
 * `z.object({ ...serviceVariables(…), ...tokenSigningVariables() }).superRefine(signingKeyListed)`.
 * `JWT_TTL` is at most a day, the time a revocation is kept.
 */
export function tokenSigningVariables() {
  return {
    JWT_PRIVATE_KEY: env.signingKey(),
    JWT_TTL: env
      .duration()
      .refine((ms) => ms >= 1000 && ms <= MAX_TOKEN_LIFETIME_MS, 'expected from 1s to 1d, the time a token revocation is kept')
      .default(60 * 60 * 1000),
  };
}

/** What a token-signing service's configuration holds, as loaded. */
export interface TokenSigningConfig {
  readonly JWT_PRIVATE_KEY: Secret<SigningJwk>;
  readonly JWT_TTL: number;
  readonly JWT_PUBLIC_KEYS: VerificationJwks;
  readonly JWT_ISSUER: string;
  readonly JWT_AUDIENCE: string;
}

/**
 * Refuses a signing key whose public half `JWT_PUBLIC_KEYS` does not list under its kid: tokens the
 * service signs must verify with the key set it and every other service trusts, and a mismatch
 * found at start-up beats every login failing later. The issue names `JWT_PUBLIC_KEYS`.
 */
export function signingKeyListed(config: TokenSigningConfig, ctx: z.core.$RefinementCtx): void {
  const signing = toVerificationJwk(config.JWT_PRIVATE_KEY.reveal());
  const listed = config.JWT_PUBLIC_KEYS.keys.find((key) => key.kid === signing.kid);
  if (listed === undefined || !samePublicKey(listed, signing)) {
    const message = `must include the public half of JWT_PRIVATE_KEY under its kid "${signing.kid}"`;
    ctx.addIssue({ code: 'custom', path: ['JWT_PUBLIC_KEYS'], message });
  }
}

function samePublicKey(a: VerificationJwk, b: VerificationJwk): boolean {
  if (a.kty === 'OKP') return b.kty === 'OKP' && a.x === b.x;
  return b.kty === 'EC' && a.x === b.x && a.y === b.y;
}

/** The issuer those variables describe: the signing key, `JWT_ISSUER`, `JWT_AUDIENCE` and `JWT_TTL`. */
export function tokenIssuerFrom(config: TokenSigningConfig): Promise<TokenIssuer> {
  const { JWT_PRIVATE_KEY, JWT_ISSUER: issuer, JWT_AUDIENCE: audience, JWT_TTL: ttlMs } = config;
  return createTokenIssuer({ privateJwk: JWT_PRIVATE_KEY.reveal(), issuer, audience, ttlMs });
}
