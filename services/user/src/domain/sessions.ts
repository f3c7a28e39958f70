/**
 * Whether a token issued at `issuedAtMs` was issued before the password changed at
 * `passwordChangedAt`, and so no longer speaks for the user. A token issued at the very instant of the
 * change, or after it (the one the change answers with), is still valid.
 */
export function issuedBeforePasswordChange(issuedAtMs: number, passwordChangedAt: Date): boolean {
  return issuedAtMs < passwordChangedAt.getTime();
}
