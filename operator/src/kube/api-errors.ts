import { z } from 'zod';

const apiExceptionShape = z.object({ code: z.number().int() });

/** The HTTP status of a failed Kubernetes API call, if the error carries one. */
function httpStatusOf(error: unknown): number | undefined {
  const parsed = apiExceptionShape.safeParse(error);
  return parsed.success ? parsed.data.code : undefined;
}

/**
 * True when a write lost a race: 409 for a stale resourceVersion, 422 for a failed JSON Patch `test`.
 * The informer is about to deliver the newer object, so the caller just tries again soon.
 */
export function isConflict(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status === 409 || status === 422;
}

/** True when the object is gone. */
export function isNotFound(error: unknown): boolean {
  return httpStatusOf(error) === 404;
}

const statusBody = z.object({ message: z.string() });

/**
 * A one-line description of a failed call: the Kubernetes `Status` message when the API answered,
 * else the error's own message. client-node's messages embed whole response dumps.
 */
export function describeApiError(error: unknown): string {
  if (error !== null && typeof error === 'object' && 'body' in error && typeof error.body === 'string') {
    try {
      const parsed = statusBody.safeParse(JSON.parse(error.body));
      if (parsed.success) return parsed.data.message;
    } catch {
      // not JSON: fall through to the error's message
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
