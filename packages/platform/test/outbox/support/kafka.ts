import { randomUUID } from 'node:crypto';
import { createTestTopics, localServers } from '@msa/local';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';

/** A message as the tests inspect it. */
export interface Received {
  readonly topic: string;
  readonly partition: number;
  readonly key: string;
  readonly value: Record<string, unknown>;
  readonly headers: Record<string, string>;
}

export function testKafka(): Kafka {
  return new Kafka({ clientId: 'outbox-test', brokers: [...localServers().kafkaBrokers], logLevel: logLevel.NOTHING });
}

/**
 * Creates a uniquely named topic (the broker creates none by itself) with the topic `config` given,
 * such as `{ 'max.message.bytes': '16384' }`, and returns its name.
 */
export async function createTestTopic(
  kafka: Kafka,
  prefix: string,
  partitions = 3,
  config: Readonly<Record<string, string>> = {},
): Promise<string> {
  const topic = `test.${prefix}.${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const configEntries = Object.entries(config).map(([name, value]) => ({ name, value }));
    await createTestTopics(admin, [{ topic, numPartitions: partitions, configEntries }]);
  } finally {
    await admin.disconnect();
  }
  return topic;
}

export async function deleteTopics(kafka: Kafka, topics: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [...topics] }).catch(() => undefined);
  await admin.disconnect();
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) out[name] = value.toString();
  }
  return out;
}

/**
 * Reads `topics` from the beginning in a fresh group until `done` holds for what arrived (each
 * partition in offset order), or rejects after `timeoutMs`.
 */
export async function consumeUntil(
  kafka: Kafka,
  topics: readonly string[],
  done: (received: readonly Received[]) => boolean,
  timeoutMs = 30_000,
): Promise<Received[]> {
  const consumer = kafka.consumer({ groupId: `outbox-test-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  const received: Received[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`only ${received.length} messages after ${timeoutMs} ms`));
      }, timeoutMs);
      consumer
        .run({
          eachBatch: ({ batch }) => {
            for (const message of batch.messages) {
              received.push({
                topic: batch.topic,
                partition: batch.partition,
                key: message.key?.toString() ?? '',
                value: JSON.parse(message.value?.toString() ?? 'null') as Record<string, unknown>,
                headers: headerStrings(message.headers),
              });
            }
            if (done(received)) {
              clearTimeout(timer);
              resolve();
            }
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

/** A consumer noting when each event arrived, while the test goes on. */
export interface TopicWatch {
  /** `Date.now()` when each event id was first received. */
  readonly arrivals: ReadonlyMap<string, number>;
  /** How many messages arrived per event id (duplicates count). */
  readonly copies: ReadonlyMap<string, number>;
  stop(): Promise<void>;
}

/** Starts reading `topics` from the beginning in a fresh group; resolves once the group has its partitions. */
export async function watchTopics(kafka: Kafka, topics: readonly string[]): Promise<TopicWatch> {
  const consumer = kafka.consumer({ groupId: `outbox-test-${randomUUID()}`, maxWaitTimeInMs: 50 });
  const arrivals = new Map<string, number>();
  const copies = new Map<string, number>();
  let joined: () => void = () => undefined;
  const hasJoined = new Promise<void>((resolve) => {
    joined = resolve;
  });
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined();
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      const { eventId } = JSON.parse(message.value?.toString() ?? 'null') as { eventId: string };
      if (!arrivals.has(eventId)) arrivals.set(eventId, Date.now());
      copies.set(eventId, (copies.get(eventId) ?? 0) + 1);
      return Promise.resolve();
    },
  });
  await hasJoined;
  return { arrivals, copies, stop: () => consumer.disconnect() };
}
