import type { DomainEvent } from '@msa/contracts';
import type { EventStore } from '../event-store/event-store.js';
import type { Transaction } from '../postgres/transaction.js';

/**
 * Where a live projection finds the events of a stream that reached it out of order: the service's
 * own event store, which holds every event it publishes, already committed when the event arrives.
 */
export interface StreamHistory {
  /**
   * `event`'s stream after version `afterVersion` up to and including `event`, upcast to current
   * shapes, in version order; `undefined` when this store does not hold the event (a read model of
   * another service's events). Runs on `tx`, so under the statement timeout of the handler that owns it.
   */
  upTo(event: DomainEvent, afterVersion: number, tx: Transaction): Promise<readonly DomainEvent[] | undefined>;
}

/** The history `store` keeps, found by the event's id (a message carries its aggregate id, not its stream id). */
export function eventStoreHistory(store: Pick<EventStore, 'readStream'>): StreamHistory {
  return {
    async upTo(event, afterVersion, tx) {
      // One indexed lookup (events_event_id_key) on the store's own table, rather than a new store
      // method every store, the in-memory one included, would have to grow for this one caller.
      const { rows } = await tx.client.query<{ stream_id: string }>({
        name: 'stream_of_event',
        text: 'select stream_id from events where event_id = $1',
        values: [event.eventId],
      });
      const streamId = rows[0]?.stream_id;
      if (streamId === undefined) return undefined;
      const { events } = await store.readStream(streamId, { afterVersion, tx });
      return events.filter((earlier) => earlier.version <= event.version);
    },
  };
}
