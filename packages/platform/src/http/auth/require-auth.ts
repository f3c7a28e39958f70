import type { Request } from 'express';
import { createLocalJWKSet, errors, jwtVerify } from 'jose';
import type { VerificationJwks } from '../../config/jwk.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import { attachPrincipal, principalClaimsSchema, type AuthMiddleware, type Principal, type Role } from './principal.js';
import { ISSUED_AT_MS_CLAIM } from './token-issuer.js';
import type { RevocationCheck } from './token-revocations.js';

/** Options for `requireAuth`. */
export interface RequireAuthOptions {
  /** Verification keys by `kid`; keep a retired key listed until the tokens it signed have expired. */
  readonly keys: VerificationJwks;
  /** The `iss` tokens must carry. */
  readonly issuer: string;
  /** The `aud` tokens must carry. */
  readonly audience: string;
  /** Roles, any one of which admits the caller. @default any verified caller */
  readonly roles?: readonly Role[];
  /** Leeway for clock skew between issuer and verifier. @default 5 */
  readonly clockToleranceSeconds?: number;
  /** Refuses a verified token issued before its user's latest revocation. @default none: no token is revoked */
  readonly revocations?: RevocationCheck;
}

const BEARER = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/i;

/**
 * Middleware that admits a request only with a valid bearer JWT signed by one of `keys`. A missing,
 * malformed, expired, tampered or foreign token is a 401 with a `WWW-Authenticate: Bearer` challenge;
 * a verified caller without a required role is a 403. The principal is then available via
 * `principalOf(req)`.
 */
export function requireAuth({
  keys,
  issuer,
  audience,
  roles = [],
  clockToleranceSeconds = 5,
  revocations,
}: RequireAuthOptions): AuthMiddleware {
  const keySet = createLocalJWKSet(keys);
  const algorithms = [...new Set(keys.keys.map((key) => key.alg))];

  async function authenticate(req: Request): Promise<Principal> {
    const header = req.get('authorization');
    if (header === undefined) throw new UnauthorizedError('a bearer token is required');
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) throw invalidToken('the Authorization header must be "Bearer <token>"');
    let claims: unknown;
    try {
      ({ payload: claims } = await jwtVerify(token, keySet, {
        issuer,
        audience,
        algorithms,
        clockTolerance: clockToleranceSeconds,
      }));
    } catch (error) {
      throw invalidToken(reasonFor(error), error);
    }
    const principal = principalClaimsSchema.safeParse(claims);
    if (!principal.success) throw invalidToken('the token does not carry a subject, email and roles');
    if (revocations !== undefined && (await revocations(principal.data.userId, issuedAtMs(claims)))) {
      // Says no more than that: not when, nor why (a password change is the user's business).
      throw invalidToken('the token has been revoked');
    }
    if (roles.length > 0 && !principal.data.roles.some((role) => roles.includes(role))) {
      throw new ForbiddenError(`this action requires the role ${roles.join(' or ')}`);
    }
    return principal.data;
  }

  const middleware: AuthMiddleware = Object.assign(
    (req: Request, _res: unknown, next: (error?: unknown) => void) => {
      authenticate(req).then((principal) => {
        attachPrincipal(req, principal);
        next();
      }, next);
    },
    { requiredRoles: roles },
  );
  return middleware;
}

/**
 * When the token was issued, in ms: the issuer's millisecond claim when it agrees with `iat`, else
 * `iat` itself, whose second rounds down (a token of the same second as a revocation then counts as
 * before it and is refused: the safe side). A token without `iat` counts as issued at 0.
 */
function issuedAtMs(claims: unknown): number {
  const { iat, [ISSUED_AT_MS_CLAIM]: ms } = claims as Record<string, unknown>;
  if (typeof iat !== 'number') return 0;
  if (typeof ms === 'number' && Number.isSafeInteger(ms) && Math.floor(ms / 1000) === iat) return ms;
  return iat * 1000;
}

function invalidToken(detail: string, cause?: unknown): UnauthorizedError {
  return new UnauthorizedError(detail, {
    challenge: `Bearer error="invalid_token", error_description="${detail.replace(/"/g, "'")}"`,
    cause,
  });
}

/** Says which check failed, as RFC 6750 suggests, without echoing the token. */
function reasonFor(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token was signed by an unknown key';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not accepted`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token algorithm is not accepted';
  return 'the token is malformed';
}
