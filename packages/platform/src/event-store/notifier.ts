import type pg from 'pg';
import type { Logger } from 'pino';
import { EVENTS_APPENDED_CHANNEL } from './schema.js';

/**
 * Returns a function that tells listeners (the outbox relay) that events were committed. The NOTIFY
 * goes in its own statement after the commit, never inside the appending transaction: PostgreSQL
 * serializes the commits of notifying transactions on one lock, which would cap appends at the
 * single-client commit rate. Calls coalesce: while one NOTIFY is in flight, any number of further
 * calls send exactly one more after it, so a commit is always followed by a notification sent after
 * it.
 */
export function createAppendNotifier(pool: pg.Pool, logger: Logger): () => void {
  let inFlight = false;
  let again = false;
  const send = (): void => {
    inFlight = true;
    again = false;
    pool
      .query({ name: 'notify_events_appended', text: 'select pg_notify($1, $2)', values: [EVENTS_APPENDED_CHANNEL, ''] })
      .catch((error: unknown) => {
        // The relay still polls, so a lost notification costs latency, not events.
        logger.warn({ err: error }, 'could not notify the outbox relay');
      })
      .finally(() => {
        inFlight = false;
        if (again) send();
      });
  };
  return () => {
    // A closing pool means the program is stopping; its relay is stopping too.
    if (pool.ending) return;
    if (inFlight) again = true;
    else send();
  };
}
