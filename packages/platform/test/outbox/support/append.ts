import type { DomainEvent } from '@msa/contracts';
import type pg from 'pg';
import { NO_STREAM, withTransaction, type EventStore } from '../../../src/index.js';
import { userEvent } from '../../event-store/support/events.js';

/**
 * Appends `userId`'s event at `version` to `store`, its payload padded to about `bytes` when given.
 * The padding is written after the append, in the same transaction, so the event's schema need not
 * allow a name that long.
 */
export async function appendUserEvent(
  pool: pg.Pool,
  store: EventStore,
  userId: string,
  version: number,
  bytes = 0,
): Promise<DomainEvent> {
  const event = userEvent(userId, version);
  await withTransaction(pool, async (tx) => {
    await store.append(`user-${userId}`, version === 1 ? NO_STREAM : version - 1, [event], { tx });
    if (bytes > 0) {
      await tx.client.query(
        `update events set payload = jsonb_set(payload, '{name}', to_jsonb(repeat('x', $2::integer))) where event_id = $1`,
        [event.eventId, bytes],
      );
    }
  });
  return event;
}
