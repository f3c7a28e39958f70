import { randomUUID } from 'node:crypto';
import { deadLetterTopicFor } from '@msa/contracts';
import type { IHeaders, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { withAdmin } from '../../kafka/admin.js';
import { readDeadLetterInfo, type DeadLetterInfo } from './headers.js';
import { entryId, listResolutions, type ResolutionOutcome } from './resolutions.js';

/** One message in a dead-letter topic, as written. */
export interface DeadLetterMessage {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
}

/** A dead-letter message of one consumer group, with what its headers say and what became of it. */
export interface DeadLetterEntry extends DeadLetterMessage {
  readonly info: DeadLetterInfo;
  /** `pending` until a replay has resolved it. */
  readonly status: 'pending' | ResolutionOutcome;
}

// Reading stops here if the end offsets cannot be reached (a partition truncated meanwhile).
const READ_TIMEOUT_MS = 30_000;

/**
 * Every message now in `topic`, in partition and offset order. kafkajs reads only as a group member,
 * so this joins a throwaway group that never commits and deletes it afterwards.
 *
 * @throws Error when the cluster has no such topic.
 */
export async function readTopic(kafka: Kafka, topic: string): Promise<DeadLetterMessage[]> {
  return withAdmin(kafka, async (admin) => {
    // kafkajs retries an unknown topic's offsets for seconds before it gives up, and says less.
    if (!(await admin.listTopics()).includes(topic)) throw new Error(`the cluster has no topic ${topic}`);
    const ends = new Map<number, bigint>();
    for (const { partition, low, high } of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(high) > BigInt(low)) ends.set(partition, BigInt(high));
    }
    if (ends.size === 0) return [];
    const groupId = `dlt-reader-${randomUUID()}`;
    const messages = await readUntil(kafka, groupId, topic, ends);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    return messages.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  });
}

async function readUntil(kafka: Kafka, groupId: string, topic: string, ends: Map<number, bigint>): Promise<DeadLetterMessage[]> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  const messages: DeadLetterMessage[] = [];
  const remaining = new Set(ends.keys());
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`could not read ${topic} to its end within ${READ_TIMEOUT_MS} ms`));
      }, READ_TIMEOUT_MS);
      consumer
        .run({
          autoCommit: false,
          eachMessage: ({ partition, message }) => {
            const end = ends.get(partition);
            const offset = BigInt(message.offset);
            if (end === undefined || offset >= end) return Promise.resolve();
            messages.push({
              partition,
              offset: message.offset,
              key: message.key === null ? null : message.key.toString('utf8'),
              value: message.value,
              headers: message.headers ?? {},
            });
            if (offset === end - 1n) remaining.delete(partition);
            if (remaining.size === 0) {
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
  return messages;
}

/**
 * The entries `group` left in the dead-letter topic of `topic`, in DLT order, each with its status.
 * Other groups' entries share the topic and are left out.
 */
export async function listDeadLetters(
  { kafka, pool }: { readonly kafka: Kafka; readonly pool: Pool },
  topic: string,
  group: string,
): Promise<DeadLetterEntry[]> {
  const [messages, resolutions] = await Promise.all([
    readTopic(kafka, deadLetterTopicFor(topic)),
    listResolutions(pool, group, topic),
  ]);
  return messages.flatMap((message) => {
    const info = readDeadLetterInfo(message.headers);
    if (info?.group !== group) return [];
    const status = resolutions.get(entryId(message.partition, message.offset))?.outcome ?? 'pending';
    return [{ ...message, info, status }];
  });
}
