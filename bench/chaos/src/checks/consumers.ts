import { examples, type Check, type StoredEvent } from './check.js';

/**
 * No consumer acted twice on one event: an event a service appended in reaction to another (its
 * causation id is that event's id) has no twin of the same type, stream and channel caused by the
 * same event. A consumer that handled a message twice without its inbox appends twice: a second
 * reservation, payment, notification.
 */
export function checkConsumers(events: readonly StoredEvent[], knownIds: ReadonlySet<string>): Check[] {
  const seen = new Map<string, number>();
  let reactions = 0;
  for (const event of events) {
    if (!knownIds.has(event.causationId)) continue;
    reactions += 1;
    // A payment's id and a notification's are new per reaction: the kind of thing made, not its id, is what may not repeat.
    const made = event.service === 'payment' ? String(event.payload.orderId) : event.service === 'notification' ? `${String(event.payload.channel)} ${String(event.payload.template)} ${String(event.payload.to ?? event.payload.userId)}` : event.streamId;
    const key = `${event.service} ${event.eventType} ${made} <- ${event.causationId}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const twice = [...seen].filter(([, count]) => count > 1).map(([key]) => key);
  return [
    {
      name: 'no consumer acted twice on one event',
      held: twice.length === 0,
      detail: `${reactions} events appended in reaction to another, ${twice.length} reactions repeated${examples(twice, 2)}`,
    },
  ];
}
