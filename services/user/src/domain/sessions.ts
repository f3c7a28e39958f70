/**
 * Whether a token issued at `issuedAtSeconds` (its `iat`, whole seconds) was issued before the
 * password changed at `passwordChangedAt`, and so no longer speaks for the user. `iat` has no finer
 * unit, so the change counts from the start of its second: a token issued in that second, such as the
 * one a password change answers with, stays valid (see DESIGN.md for what that costs).
 */
export function issuedBeforePasswordChange(issuedAtSeconds: number, passwordChangedAt: Date): boolean {
  return issuedAtSeconds < Math.floor(passwordChangedAt.getTime() / 1000);
}
