import { type AuthMiddleware, principalOf, UnauthorizedError } from '@msa/platform';
import type { Request } from 'express';
import { decodeJwt } from 'jose';
import { issuedBeforePasswordChange } from '../../domain/sessions.js';
import type { UserAccounts } from '../../ports.js';

const RETIRED = 'the token was issued before the password changed';

/**
 * `verified` followed by the user service's own check of the token's age: a token issued before the
 * user's last password change is a 401, read from the credentials the change wrote in its own
 * transaction. The platform's revocation list reaches every service a moment later through Kafka and
 * Redis; here, where passwords change, there is no such moment and no dependency on Redis.
 */
export function issuedAfterPasswordChange(verified: AuthMiddleware, accounts: Pick<UserAccounts, 'passwordChangedAt'>): AuthMiddleware {
  async function check(req: Request): Promise<void> {
    const { userId } = principalOf(req);
    const changedAt = await accounts.passwordChangedAt(userId);
    if (changedAt === undefined) return;
    if (issuedBeforePasswordChange(issuedAtOf(req), changedAt)) {
      throw new UnauthorizedError(RETIRED, { challenge: `Bearer error="invalid_token", error_description="${RETIRED}"` });
    }
  }
  return Object.assign(
    (req: Request, res: Parameters<AuthMiddleware>[1], next: (error?: unknown) => void) => {
      verified(req, res, (error?: unknown) => {
        if (error !== undefined) {
          next(error);
          return;
        }
        check(req).then(() => {
          next();
        }, next);
      });
    },
    { requiredRoles: verified.requiredRoles },
  );
}

/**
 * The `iat` of the bearer token `verified` has just accepted (so its signature and form are known
 * good); a token without one counts as issued at the epoch, before any change.
 */
function issuedAtOf(req: Request): number {
  const token = req.get('authorization')?.split(' ')[1] ?? '';
  return decodeJwt(token).iat ?? 0;
}
