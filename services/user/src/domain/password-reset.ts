/** Reset links an account may be sent within `RESET_REQUEST_WINDOW_MS`; requests beyond it send nothing. */
export const RESET_REQUESTS_PER_WINDOW = 3;
/** The rolling window of the reset request limit: one hour. */
const RESET_REQUEST_WINDOW_MS = 3_600_000;

/**
 * Whether another reset link may be sent at `now`, given when the latest ones were (oldest first):
 * fewer than `RESET_REQUESTS_PER_WINDOW` within the last `RESET_REQUEST_WINDOW_MS`. Bounds the mail an
 * anonymous caller can make the platform send to somebody's address.
 */
export function resetRequestAllowed(latestRequests: readonly Date[], now: Date): boolean {
  const windowStart = now.getTime() - RESET_REQUEST_WINDOW_MS;
  return latestRequests.filter((requestedAt) => requestedAt.getTime() > windowStart).length < RESET_REQUESTS_PER_WINDOW;
}
