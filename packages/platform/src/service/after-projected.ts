import type { DomainEvent } from '@msa/contracts';
import type { Logger } from 'pino';

/** The time an after-projection hook gets for one event before the projection moves on without it. */
export const AFTER_PROJECTED_TIMEOUT_MS = 2_000;

/** Work a service runs once an event's read model writes are applied: invalidating what it cached from them. */
export type AfterProjected = (event: DomainEvent, context: { readonly signal: AbortSignal }) => Promise<void>;

/**
 * Runs `hook` for `event`, bounded by `timeoutMs` (its `signal` aborts then), and never rejects: a
 * failure or a timeout is logged and the projection commits the event all the same. The read model
 * is already right; what the hook did not finish (a cache invalidation) has its own way back (the
 * cache family's generation bump once Redis answers).
 */
export async function runAfterProjected(hook: AfterProjected, event: DomainEvent, logger: Logger, timeoutMs = AFTER_PROJECTED_TIMEOUT_MS): Promise<void> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve('late');
    }, timeoutMs);
  });
  const where = { eventType: event.eventType, eventId: event.eventId, aggregateId: event.aggregateId, version: event.version };
  try {
    const outcome = await Promise.race([hook(event, { signal: controller.signal }), late]);
    if (outcome === 'late') logger.warn(where, `after-projection hook did not finish within ${timeoutMs}ms; the event is committed without it`);
  } catch (error) {
    logger.warn({ ...where, err: error }, 'after-projection hook failed; the event is committed without it');
  } finally {
    clearTimeout(timer);
  }
}
