import { deadLetterTopicFor } from '@msa/contracts';
import kafkajs, { type Admin } from 'kafkajs';
import { ConsumerConfigError } from '../errors.js';
import { inboxRetentionProblem, type TopicRetention, type TopicRetentions } from './retention.js';

// kafkajs is CommonJS and Node's ESM loader cannot see this enum as a named export.
const { ConfigResourceTypes } = kafkajs;

const CONFIG_NAMES = ['retention.ms', 'segment.ms', 'cleanup.policy'] as const;

// Kafka's own default for segment.ms (log.roll.hours = 168), should a broker not report the value.
const KAFKA_DEFAULT_SEGMENT_MS = 604_800_000;

/**
 * How long each topic and its DLT may keep a message readable, as the cluster has them now (a topic
 * may override the catalog): `retention.ms` plus `segment.ms`, since Kafka deletes a segment only
 * once its newest message has expired, and a segment takes messages for up to `segment.ms`. The
 * values are the topic's effective ones, the broker's default where the topic sets none.
 * (`file.delete.delay.ms` does not count: a segment leaves the readable log when it is scheduled for
 * deletion, before its files go.) A topic the cluster no longer has holds no message to bring an
 * event back: 0.
 */
export async function readTopicRetentions(admin: Admin, topics: readonly string[]): Promise<TopicRetentions[]> {
  const existing = new Set(await admin.listTopics());
  const names = topics.flatMap((topic) => [topic, deadLetterTopicFor(topic)]).filter((name) => existing.has(name));
  // describeConfigs fails as a whole for a topic that does not exist, hence the filter.
  const { resources } =
    names.length === 0
      ? { resources: [] }
      : await admin.describeConfigs({
          resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: [...CONFIG_NAMES] })),
          includeSynonyms: false,
        });
  const retentions = new Map(
    resources.map((resource) => {
      const value = (name: (typeof CONFIG_NAMES)[number]) =>
        resource.configEntries.find((entry) => entry.configName === name)?.configValue;
      return [resource.resourceName, toRetention(value('retention.ms'), value('segment.ms'), value('cleanup.policy'))];
    }),
  );
  const retentionOf = (name: string): TopicRetention => (existing.has(name) ? (retentions.get(name) ?? 'forever') : 0);
  return topics.map((topic) => ({ topic, source: retentionOf(topic), deadLetter: retentionOf(deadLetterTopicFor(topic)) }));
}

/**
 * Checks that inbox rows outlive every message that could bring their event back: how long each
 * source topic may keep it plus how long its DLT may (see `readTopicRetentions`).
 *
 * @throws ConsumerConfigError naming the topics that keep messages too long for `retentionMs`.
 */
export async function verifyInboxRetention(admin: Admin, topics: readonly string[], retentionMs: number): Promise<void> {
  const problem = inboxRetentionProblem(retentionMs, await readTopicRetentions(admin, topics));
  if (problem !== undefined) throw new ConsumerConfigError(`consumer option inboxPruning.retentionMs: ${problem}`);
}

// A topic compacted without `delete` keeps the latest message of each key however old it is.
function toRetention(
  retentionMs: string | undefined,
  segmentMs: string | undefined,
  cleanupPolicy: string | undefined,
): TopicRetention {
  const retention = Number(retentionMs);
  const segment = segmentMs === undefined ? KAFKA_DEFAULT_SEGMENT_MS : Number(segmentMs);
  const deletes = cleanupPolicy === undefined || cleanupPolicy.split(',').some((policy) => policy.trim() === 'delete');
  const limited = [retention, segment].every((ms) => Number.isSafeInteger(ms) && ms >= 0);
  return deletes && limited ? retention + segment : 'forever';
}
