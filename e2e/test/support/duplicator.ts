import { eventTopics } from '@msa/contracts';
import type { Kafka } from 'kafkajs';

/** Marks a copy, so the duplicator never copies its own copies. */
const COPY_HEADER = 'e2e-copy';

/** Sends every message of a namespace's topics a second time. */
export interface Duplicator {
  /** Copies sent so far, per catalog topic. */
  copies(topic: string): number;
  stop(): Promise<void>;
}

/**
 * Joins a group of its own on every catalog topic of `namespace`, from the beginning, and produces
 * each message it reads once more to the same topic with the same key, value and headers (plus a
 * header marking the copy, which it skips): every consumer of the platform then gets every event
 * twice, the copy after the original and after whatever the producer sent in between, as a relay
 * that publishes a batch again after a crash, or a redelivery after a rebalance, would give it.
 * Resolves once the group has its partitions.
 */
export async function startDuplicator(kafka: Kafka, namespace: string): Promise<Duplicator> {
  const topics = eventTopics.map(({ name }) => `${name}.${namespace}`);
  const consumer = kafka.consumer({ groupId: `e2e-duplicator.${namespace}`, maxWaitTimeInMs: 50 });
  const producer = kafka.producer();
  const counts = new Map<string, number>();
  await Promise.all([consumer.connect(), producer.connect()]);
  await consumer.subscribe({ topics, fromBeginning: true });
  const joined = new Promise<void>((resolve) => {
    consumer.on(consumer.events.GROUP_JOIN, () => {
      resolve();
    });
  });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      if (message.headers?.[COPY_HEADER] !== undefined) return;
      await producer.send({ topic, messages: [{ key: message.key, value: message.value, headers: { ...message.headers, [COPY_HEADER]: '1' } }] });
      const catalogTopic = topic.slice(0, -(namespace.length + 1));
      counts.set(catalogTopic, (counts.get(catalogTopic) ?? 0) + 1);
    },
  });
  await joined;
  return {
    copies: (topic) => counts.get(topic) ?? 0,
    async stop() {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}
