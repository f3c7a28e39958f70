import { SERVICES, type ServicePools } from '@msa/bench-kit';
import type { StoredEvent } from './check.js';

/**
 * Every event the six event stores recorded since `since`, each store's in the relay's order
 * (transaction id, then position: the order commits became safe to publish in, see the outbox's DESIGN.md).
 */
export async function readStores(pools: ServicePools, since: Date): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (const service of SERVICES) {
    const { rows } = await pools[service].query<{
      position: string;
      event_id: string;
      event_type: string;
      stream_id: string;
      version: number;
      aggregate_id: string;
      causation_id: string;
      topic: string;
      payload: Record<string, unknown>;
    }>(
      `select position, event_id, event_type, stream_id, version, aggregate_id, causation_id, topic, payload
         from events where recorded_at >= $1 order by transaction_id, position`,
      [since],
    );
    for (const row of rows) {
      events.push({
        service,
        position: Number(row.position),
        eventId: row.event_id,
        eventType: row.event_type,
        streamId: row.stream_id,
        version: row.version,
        aggregateId: row.aggregate_id,
        causationId: row.causation_id,
        topic: row.topic,
        payload: row.payload,
      });
    }
  }
  return events;
}

/** Every event id any store holds, however old: a message on a topic whose id is not among them came from nowhere. */
export async function allEventIds(pools: ServicePools): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const service of SERVICES) {
    const { rows } = await pools[service].query<{ event_id: string }>('select event_id from events');
    for (const row of rows) ids.add(row.event_id);
  }
  return ids;
}

/** Events held by the relay because Kafka refused them (`outbox_unpublishable`): unpublished on purpose, not lost. */
export async function unpublishable(pools: ServicePools): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const service of SERVICES) {
    const { rows } = await pools[service].query<{ event_id: string }>('select event_id from outbox_unpublishable').catch(() => ({ rows: [] }));
    for (const row of rows) ids.add(row.event_id);
  }
  return ids;
}
