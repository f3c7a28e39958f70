import { importJWK, SignJWT } from 'jose';
import type { SigningJwk } from '../../config/jwk.js';
import type { Principal } from './principal.js';
import { MAX_TOKEN_LIFETIME_MS } from './token-revocations.js';

/**
 * The private claim carrying the issue time in ms: `iat` has whole seconds, too coarse to tell a
 * token issued just after a password change from one issued just before it in the same second.
 */
export const ISSUED_AT_MS_CLAIM = 'iat_ms';

/** Options for `createTokenIssuer`. */
export interface TokenIssuerOptions {
  /** The current signing key; its `kid` goes into every token header. */
  readonly privateJwk: SigningJwk;
  readonly issuer: string;
  readonly audience: string;
  /** How long a token stays valid, in milliseconds (as `env.duration()` yields), at most `MAX_TOKEN_LIFETIME_MS`. */
  readonly ttlMs: number;
  /** The clock; tests pass one to mint tokens that are already expired. @default () => new Date() */
  readonly now?: () => Date;
}

/** A signed access token. */
export interface IssuedToken {
  readonly token: string;
  readonly tokenType: 'Bearer';
  readonly expiresAt: Date;
}

/** Signs access tokens for verified principals. */
export interface TokenIssuer {
  issue(principal: Principal): Promise<IssuedToken>;
}

/**
 * Imports the signing key once, up front, so a bad key fails start-up rather than the first login.
 * Tokens carry `sub` (user id), `email`, `roles` and `iat_ms` (the issue time in ms), which
 * `requireAuth` reads back.
 */
export async function createTokenIssuer({
  privateJwk,
  issuer,
  audience,
  ttlMs,
  now = () => new Date(),
}: TokenIssuerOptions): Promise<TokenIssuer> {
  if (!Number.isFinite(ttlMs) || ttlMs < 1000 || ttlMs > MAX_TOKEN_LIFETIME_MS) {
    // A revocation is kept only as long as the longest token lives, so a longer one would outlive it.
    throw new RangeError(`ttlMs must be from 1000 to ${MAX_TOKEN_LIFETIME_MS}, got ${ttlMs}`);
  }
  const key = await importJWK(privateJwk, privateJwk.alg);
  return {
    async issue({ userId, email, roles }) {
      const issuedAtMs = now().getTime();
      const issuedAt = Math.floor(issuedAtMs / 1000);
      const expiresAt = issuedAt + Math.floor(ttlMs / 1000);
      const token = await new SignJWT({ email, roles: [...roles], [ISSUED_AT_MS_CLAIM]: issuedAtMs })
        .setProtectedHeader({ alg: privateJwk.alg, kid: privateJwk.kid, typ: 'JWT' })
        .setSubject(userId)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(key);
      return { token, tokenType: 'Bearer', expiresAt: new Date(expiresAt * 1000) };
    },
  };
}
