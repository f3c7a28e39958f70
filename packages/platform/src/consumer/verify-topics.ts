import { deadLetterTopicFor } from '@msa/contracts';
import type { Admin } from 'kafkajs';
import { ConsumerConfigError } from './errors.js';

/**
 * Checks that every source topic and its `<topic>.DLT` exist, the DLT with as many partitions as its
 * source (a dead-lettered key keeps its partition index, and a replay puts it back there). Topics are
 * provisioned from the catalog and never created on first use, so a missing one is a deployment error
 * worth stopping for.
 *
 * @throws ConsumerConfigError naming the missing or mis-sized topics.
 */
export async function verifyTopics(admin: Admin, topics: readonly string[]): Promise<void> {
  const wanted = topics.flatMap((topic) => [topic, deadLetterTopicFor(topic)]);
  const existing = new Set(await admin.listTopics());
  const missing = wanted.filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    throw new ConsumerConfigError(`topics missing from the cluster (they are never auto-created): ${missing.join(', ')}`);
  }
  const { topics: metadata } = await admin.fetchTopicMetadata({ topics: wanted });
  const partitions = new Map(metadata.map((topic) => [topic.name, topic.partitions.length]));
  const misSized = topics.filter((topic) => partitions.get(topic) !== partitions.get(deadLetterTopicFor(topic)));
  if (misSized.length > 0) {
    const detail = misSized.map(
      (topic) => `${topic} has ${partitions.get(topic) ?? 0}, its DLT ${partitions.get(deadLetterTopicFor(topic)) ?? 0}`,
    );
    throw new ConsumerConfigError(`dead-letter topics must have as many partitions as their source: ${detail.join('; ')}`);
  }
}
