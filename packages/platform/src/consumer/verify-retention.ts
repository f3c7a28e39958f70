import { deadLetterTopicFor } from '@msa/contracts';
import kafkajs, { type Admin } from 'kafkajs';
import { ConsumerConfigError } from './errors.js';
import { inboxRetentionProblem, type TopicRetention, type TopicRetentions } from './inbox-retention.js';

// kafkajs is CommonJS and Node's ESM loader cannot see this enum as a named export.
const { ConfigResourceTypes } = kafkajs;

/**
 * Each topic's retention and its DLT's, as the cluster has them now (a topic may override the
 * catalog). A topic the cluster no longer has holds no message to bring an event back: retention 0.
 */
export async function readTopicRetentions(admin: Admin, topics: readonly string[]): Promise<TopicRetentions[]> {
  const existing = new Set(await admin.listTopics());
  const names = topics.flatMap((topic) => [topic, deadLetterTopicFor(topic)]).filter((name) => existing.has(name));
  // describeConfigs fails as a whole for a topic that does not exist, hence the filter.
  const { resources } =
    names.length === 0
      ? { resources: [] }
      : await admin.describeConfigs({
          resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['retention.ms', 'cleanup.policy'] })),
          includeSynonyms: false,
        });
  const retentions = new Map(
    resources.map((resource) => {
      const value = (name: string) => resource.configEntries.find((entry) => entry.configName === name)?.configValue;
      return [resource.resourceName, toRetention(value('retention.ms'), value('cleanup.policy'))];
    }),
  );
  const retentionOf = (name: string): TopicRetention => (existing.has(name) ? (retentions.get(name) ?? 'forever') : 0);
  return topics.map((topic) => ({ topic, source: retentionOf(topic), deadLetter: retentionOf(deadLetterTopicFor(topic)) }));
}

/**
 * Checks that inbox rows outlive every message that could bring their event back: the retention of
 * each source topic plus its DLT's.
 *
 * @throws ConsumerConfigError naming the topics that keep messages too long for `retentionMs`.
 */
export async function verifyInboxRetention(admin: Admin, topics: readonly string[], retentionMs: number): Promise<void> {
  const problem = inboxRetentionProblem(retentionMs, await readTopicRetentions(admin, topics));
  if (problem !== undefined) throw new ConsumerConfigError(`consumer option inboxPruning.retentionMs: ${problem}`);
}

// A topic compacted without `delete` keeps the latest message of each key however old it is.
function toRetention(retentionMs: string | undefined, cleanupPolicy: string | undefined): TopicRetention {
  const ms = Number(retentionMs);
  const deletes = cleanupPolicy === undefined || cleanupPolicy.split(',').some((policy) => policy.trim() === 'delete');
  return deletes && Number.isSafeInteger(ms) && ms >= 0 ? ms : 'forever';
}
