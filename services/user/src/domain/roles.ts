import type { UserRole } from '@msa/contracts';
import { emailKey } from './email.js';

/**
 * The role a new account receives. Nobody can grant themselves a role through the API: an address on
 * the operator-configured admin list becomes `admin` when it registers, every other one `customer`.
 * That is how the first admin comes to exist without a bootstrap backdoor.
 */
export function roleAtRegistration(email: string, adminEmails: readonly string[]): UserRole {
  const key = emailKey(email);
  return adminEmails.some((admin) => emailKey(admin) === key) ? 'admin' : 'customer';
}
