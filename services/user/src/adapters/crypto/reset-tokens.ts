import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits: more than can be guessed within any token's lifetime, however many tries. */
const RESET_TOKEN_BYTES = 32;

/** A fresh reset token: `RESET_TOKEN_BYTES` random bytes, base64url (43 characters), for a link. */
export function newResetToken(): string {
  return randomBytes(RESET_TOKEN_BYTES).toString('base64url');
}

/**
 * The form in which a reset token is stored and looked up: its SHA-256. The token is random and long,
 * so a fast unsalted hash is enough for a stolen table to reveal no usable link.
 */
export function resetTokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
