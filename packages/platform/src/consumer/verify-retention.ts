import { deadLetterTopicFor } from '@msa/contracts';
import kafkajs, { type Admin } from 'kafkajs';
import { ConsumerConfigError } from './errors.js';
import { inboxRetentionProblem, type TopicRetention } from './inbox-retention.js';

// kafkajs is CommonJS and Node's ESM loader cannot see this enum as a named export.
const { ConfigResourceTypes } = kafkajs;

/**
 * Checks that inbox rows outlive every message that could bring their event back: the retention of
 * each source topic plus its DLT's, as the cluster has them now (a topic may override the catalog).
 *
 * @throws ConsumerConfigError naming the topics that keep messages too long for `retentionMs`.
 */
export async function verifyInboxRetention(admin: Admin, topics: readonly string[], retentionMs: number): Promise<void> {
  const names = topics.flatMap((topic) => [topic, deadLetterTopicFor(topic)]);
  const { resources } = await admin.describeConfigs({
    resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['retention.ms', 'cleanup.policy'] })),
    includeSynonyms: false,
  });
  const retentions = new Map(
    resources.map((resource) => {
      const value = (name: string) => resource.configEntries.find((entry) => entry.configName === name)?.configValue;
      return [resource.resourceName, toRetention(value('retention.ms'), value('cleanup.policy'))];
    }),
  );
  const retentionOf = (name: string): TopicRetention => retentions.get(name) ?? 'forever';
  const problem = inboxRetentionProblem(
    retentionMs,
    topics.map((topic) => ({ topic, source: retentionOf(topic), deadLetter: retentionOf(deadLetterTopicFor(topic)) })),
  );
  if (problem !== undefined) throw new ConsumerConfigError(`consumer option inboxPruning.retentionMs: ${problem}`);
}

// A topic compacted without `delete` keeps the latest message of each key however old it is.
function toRetention(retentionMs: string | undefined, cleanupPolicy: string | undefined): TopicRetention {
  const ms = Number(retentionMs);
  const deletes = cleanupPolicy === undefined || cleanupPolicy.split(',').some((policy) => policy.trim() === 'delete');
  return deletes && Number.isSafeInteger(ms) && ms >= 0 ? ms : 'forever';
}
