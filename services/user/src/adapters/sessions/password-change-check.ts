import type { RevocationCheck } from '@msa/platform';
import { issuedBeforePasswordChange } from '../../domain/sessions.js';
import type { UserAccounts } from '../../ports.js';

/**
 * The user service's own revocation check for `requireAuth`: a token issued before the user's last
 * password change, as the credentials row records it, is refused. The row is written in the change's
 * own transaction, so this check knows at once what the Redis revocations other services read learn
 * a moment later, and it needs no Redis.
 */
export function passwordChangeCheck(accounts: Pick<UserAccounts, 'passwordChangedAt'>): RevocationCheck {
  return async (userId, issuedAtMs) => {
    const changedAt = await accounts.passwordChangedAt(userId);
    return changedAt !== undefined && issuedBeforePasswordChange(issuedAtMs, changedAt);
  };
}
