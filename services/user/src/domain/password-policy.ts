import { emailKey } from './email.js';

/** Shortest accepted password, in characters (code points). */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest accepted password: long enough for any passphrase, short enough to bound hashing work. */
export const MAX_PASSWORD_LENGTH = 128;

/**
 * Passwords of the accepted length that attackers try first. Deliberately short: the length rule
 * already removes most of the common-password lists, and a long list would belong in data, not code.
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123123123123',
  'password1234',
  'password12345',
  'passwordpassword',
  'qwertyuiop12',
  'qwertyqwerty',
  'qwerty123456',
  'iloveyou1234',
  'letmein12345',
  'welcome12345',
  'administrator',
  'abcdefghijkl',
  'abc123abc123',
]);

/** Why a password was refused; several can apply at once. */
export type PasswordViolation =
  | 'TOO_SHORT'
  | 'TOO_LONG'
  | 'SAME_AS_EMAIL'
  | 'COMMON_PASSWORD'
  | 'ONE_REPEATED_CHARACTER';

/** A user-facing sentence for each violation. */
export const passwordViolationMessages: Readonly<Record<PasswordViolation, string>> = {
  TOO_SHORT: `must be at least ${MIN_PASSWORD_LENGTH} characters`,
  TOO_LONG: `must be at most ${MAX_PASSWORD_LENGTH} characters`,
  SAME_AS_EMAIL: 'must not be the email address or its name part',
  COMMON_PASSWORD: 'is a commonly used password',
  ONE_REPEATED_CHARACTER: 'must not be one character repeated',
};

/**
 * Checks a password in the spirit of NIST SP 800-63B: length matters, composition rules do not
 * (no "one digit, one symbol"), and known-weak choices are refused. Returns every violation, so a
 * client can show them all at once; an empty list means the password is accepted.
 */
export function passwordViolations(password: string, email: string): PasswordViolation[] {
  const length = Array.from(password).length;
  const lowered = password.toLowerCase();
  const address = emailKey(email);
  const localPart = address.split('@', 1)[0] ?? address;
  const violations: PasswordViolation[] = [];
  if (length < MIN_PASSWORD_LENGTH) violations.push('TOO_SHORT');
  if (length > MAX_PASSWORD_LENGTH) violations.push('TOO_LONG');
  if (lowered === address || lowered === localPart) violations.push('SAME_AS_EMAIL');
  if (COMMON_PASSWORDS.has(lowered)) violations.push('COMMON_PASSWORD');
  if (length > 0 && new Set(password).size === 1) violations.push('ONE_REPEATED_CHARACTER');
  return violations;
}
