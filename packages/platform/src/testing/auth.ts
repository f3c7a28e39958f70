import { generateSigningKey } from '../http/auth/keys.js';
import type { AuthMiddleware, Principal, Role } from '../http/auth/principal.js';
import { requireAuth } from '../http/auth/require-auth.js';
import { createTokenIssuer, type TokenIssuer } from '../http/auth/token-issuer.js';
import { toVerificationJwk } from '../config/jwk.js';

/** Tokens and guards for route specs, signed with a key made for the spec. */
export interface TestAuth {
  /** Issues tokens the guards accept, as a service's login does. */
  readonly tokens: TokenIssuer;
  /** The platform's `requireAuth` for these tokens, admitting `roles` (any verified caller when empty). */
  requireAuth(roles?: readonly Role[]): AuthMiddleware;
  /** An `Authorization` header value carrying a token for `principal`. */
  bearer(principal: Principal): Promise<string>;
}

const ISSUER = 'route-spec';
const AUDIENCE = 'route-spec';
const HOUR_MS = 3_600_000;

/**
 * A fresh signing key, its issuer and its guards: the real JWT code path of the HTTP kit, with
 * nothing to configure and no server to ask.
 */
export async function createTestAuth(): Promise<TestAuth> {
  const key = await generateSigningKey({ kid: 'route-spec' });
  const keys = { keys: [toVerificationJwk(key)] };
  const tokens = await createTokenIssuer({ privateJwk: key, issuer: ISSUER, audience: AUDIENCE, ttlMs: HOUR_MS });
  return {
    tokens,
    requireAuth: (roles = []) => requireAuth({ keys, issuer: ISSUER, audience: AUDIENCE, roles }),
    async bearer(principal) {
      return `Bearer ${(await tokens.issue(principal)).token}`;
    },
  };
}
