/**
 * The form under which an address is unique: case-insensitive, as users expect, so `Kim@Example.com`
 * and `kim@example.com` are one account. The address itself is kept as the user typed it.
 */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}
