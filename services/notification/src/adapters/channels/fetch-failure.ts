/**
 * Why a `fetch` failed, in one line: fetch wraps the socket error (`ECONNREFUSED`, `ECONNRESET`) in
 * `cause`, and timeouts and aborts carry their own name. Read by shape rather than `instanceof`:
 * undici's errors may come from another realm.
 */
export function describeFetchFailure(error: unknown): string {
  if (!isError(error)) return String(error);
  const cause = isError(error.cause) ? `: ${error.cause.message || error.cause.name}` : '';
  return `${error.name} ${error.message}${cause}`;
}

function isError(value: unknown): value is Error {
  return typeof value === 'object' && value !== null && typeof (value as Error).message === 'string' && typeof (value as Error).name === 'string';
}
