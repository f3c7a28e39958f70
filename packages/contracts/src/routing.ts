import type { DomainEvent } from './events/index.js';
import { type EventTopicName, eventTopics } from './topics.js';

/**
 * The catalog topic an event is published to. Every event type has one topic, except
 * `NotificationRequested`, which goes to `notification.<channel>.requested` by its channel.
 *
 * @throws Error when the catalog has no topic for the event, which the catalog tests rule out.
 */
export function topicFor(event: DomainEvent): EventTopicName {
  const channelTopic =
    event.eventType === 'NotificationRequested' ? `notification.${event.payload.channel}.requested` : undefined;
  const topic = eventTopics.find(
    (t) => t.eventType === event.eventType && (channelTopic === undefined || t.name === channelTopic),
  );
  if (topic === undefined) throw new Error(`no catalog topic for ${event.eventType}`);
  return topic.name;
}
