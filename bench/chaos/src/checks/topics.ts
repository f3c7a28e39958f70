import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { examples, type Check, type StoredEvent } from './check.js';

/** One message as a topic holds it. */
export interface TopicMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly eventId: string | undefined;
}

/**
 * Reads `topics` whole, from offset 0 to the end each partition had when the read began, in a
 * group of the suite's own that is deleted afterwards.
 */
export async function readTopics(kafka: Kafka, topics: readonly string[], timeoutMs = 120_000): Promise<TopicMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, number>();
  try {
    for (const topic of topics) {
      for (const { partition, high } of await admin.fetchTopicOffsets(topic)) if (Number(high) > 0) ends.set(`${topic}/${partition}`, Number(high));
    }
  } finally {
    await admin.disconnect();
  }
  const messages: TopicMessage[] = [];
  if (ends.size === 0) return messages;
  const groupId = `bench-chaos-read-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, maxBytes: 50 * 1024 * 1024 });
  const pending = new Set(ends.keys());
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: ({ batch }) => {
        const key = `${batch.topic}/${batch.partition}`;
        const end = ends.get(key) ?? 0;
        for (const message of batch.messages) {
          const offset = Number(message.offset);
          if (offset >= end) continue;
          messages.push({
            topic: batch.topic,
            partition: batch.partition,
            offset,
            key: message.key?.toString() ?? '',
            eventId: message.headers?.['event-id']?.toString(),
          });
          if (offset === end - 1) pending.delete(key);
        }
        if (pending.size === 0) done();
        return Promise.resolve();
      },
    });
    const timedOut = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([finished, timedOut]);
    if (pending.size > 0) throw new Error(`reading the topics: ${pending.size} partitions not read to their end within ${timeoutMs} ms`);
  } finally {
    await consumer.disconnect();
    const cleanup = kafka.admin();
    await cleanup.connect();
    await cleanup.deleteGroups([groupId]).catch(() => undefined);
    await cleanup.disconnect();
  }
  return messages;
}

/**
 * The Jepsen-style check of the outbox: every stored event reached the topic its row names (lost
 * otherwise), how often it was published (duplicates are at least once at work, which the inbox
 * absorbs; counted, not failed), each stream's events in version order on their partition (by
 * the offset of each event's first copy), and no message whose event no store holds.
 */
export function checkDelivery(events: readonly StoredEvent[], messages: readonly TopicMessage[], knownIds: ReadonlySet<string>, held: ReadonlySet<string>): Check[] {
  const copies = new Map<string, TopicMessage[]>();
  for (const message of messages) {
    if (message.eventId === undefined) continue;
    copies.set(message.eventId, [...(copies.get(message.eventId) ?? []), message]);
  }
  const lost = events.filter((event) => !held.has(event.eventId) && !(copies.get(event.eventId) ?? []).some((copy) => copy.topic === event.topic));
  const duplicates = events.reduce((total, event) => total + Math.max(0, (copies.get(event.eventId)?.length ?? 0) - 1), 0);
  const doubled = events.filter((event) => (copies.get(event.eventId)?.length ?? 0) > 1).length;
  const phantoms = messages.filter((message) => message.eventId === undefined || !knownIds.has(message.eventId));

  // Per stream, the first copy of each event in offset order must come in version order; a stream
  // stays on one partition (its key is the aggregate id), so offsets compare.
  const byStream = new Map<string, { version: number; offset: number; partition: string }[]>();
  for (const event of events) {
    const first = copies.get(event.eventId)?.find((copy) => copy.topic === event.topic);
    if (first === undefined) continue;
    const stream = `${event.service}/${event.streamId}`;
    byStream.set(stream, [...(byStream.get(stream) ?? []), { version: event.version, offset: first.offset, partition: `${first.topic}/${first.partition}` }]);
  }
  const reordered: string[] = [];
  for (const [stream, published] of byStream) {
    for (const partition of new Set(published.map((entry) => entry.partition))) {
      const inOrder = published.filter((entry) => entry.partition === partition).toSorted((a, b) => a.offset - b.offset);
      if (inOrder.some((entry, index) => index > 0 && entry.version < (inOrder[index - 1]?.version ?? 0))) reordered.push(stream);
    }
  }
  return [
    {
      name: 'every stored event reached its topic',
      held: lost.length === 0,
      detail: `${events.length} events of the run in the six stores, ${messages.length} messages read from offset 0 of ${new Set(events.map((e) => e.topic)).size} topics; ${lost.length} lost, ${held.size} held as unpublishable${examples(lost.map((e) => `${e.service} ${e.eventType} ${e.eventId}`))}`,
    },
    {
      name: 'no stream reordered on its partition',
      held: reordered.length === 0,
      detail: `${byStream.size} streams, ${reordered.length} with a later version before an earlier one${examples(reordered)}`,
    },
    {
      name: 'no message without a stored event',
      held: phantoms.length === 0,
      detail: `${phantoms.length} messages whose event-id no store holds${examples(phantoms.map((m) => `${m.topic}/${m.partition}@${m.offset}`))}`,
    },
    {
      name: 'duplicates on the topics (at least once; absorbed by the inbox)',
      held: true,
      detail: `${duplicates} extra copies of ${doubled} events`,
    },
  ];
}
