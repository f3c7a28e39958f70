import { DEAD_LETTER_SUFFIX, eventTopics } from '@msa/contracts';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { PlatformMetrics } from '../telemetry/metrics.js';
import { ConsumerConfigError } from './errors.js';
import type { EventHandlers } from './handlers.js';
import { inboxPruningSchema, type InboxPruning, type InboxPruningOptions } from './inbox/retention.js';
import { retryPolicy, type RetryPolicy } from './retry/backoff.js';

/** Options for `createConsumerRunner`. */
export interface ConsumerRunnerOptions {
  /** The consumer group, one per (service, purpose), such as `user.read-model`. */
  readonly groupId: string;
  /**
   * The source topics, usually `topicsConsumedBy(groupId)`; each needs a `<topic>.DLT` with as many
   * partitions. For a catalog topic the group must have a handler for its event type.
   */
  readonly topics: readonly string[];
  readonly handlers: EventHandlers;
  readonly kafka: Kafka;
  /** The database the handlers write to; the inbox and parked keys live beside their data. */
  readonly pool: Pool;
  readonly logger: Logger;
  readonly metrics: PlatformMetrics;
  /** Overrides of `DEFAULT_RETRY_POLICY`. */
  readonly retry?: Partial<RetryPolicy>;
  /** Partitions handled at the same time; each partition is always handled in order. @default 1 */
  readonly partitionsConsumedConcurrently?: number;
  /** Longest time between offset commits inside a long batch, in ms. @default 1000 */
  readonly commitIntervalMs?: number;
  /** The group session timeout, in ms. @default 30000 */
  readonly sessionTimeoutMs?: number;
  /**
   * Longest one handler attempt may take, its transaction's statements included, in ms. An attempt
   * still running then is failed (a retriable `HandlerTimeoutError`) and its PostgreSQL session ended,
   * so a handler stuck on a dependency without timeouts of its own holds nothing for long. At most
   * 50 s, so a member busy with an attempt when a rebalance starts rejoins within kafkajs's
   * rebalance timeout (60 s). @default 30000
   */
  readonly handlerTimeoutMs?: number;
  /**
   * Longest the runner waits for Kafka to acknowledge one dead-letter write, in ms; a write not
   * acknowledged by then is tried again after a backoff, and `stop()` abandons it at once (the
   * message stays uncommitted and comes back). At most 50 s, as `handlerTimeoutMs`. @default 30000
   */
  readonly deadLetterTimeoutMs?: number;
  /**
   * Largest message value the runner parses, in bytes; a larger one is dead-lettered as unparseable
   * without being read. The default is well above any event the services make (an HTTP body is at
   * most 100 kB) and below Kafka's default `max.message.bytes` (1 MiB), so the dead letter, value and
   * headers, still fits its DLT. @default 262144
   */
  readonly maxMessageBytes?: number;
  /** How the group's old inbox rows are deleted; see `InboxPruningOptions` for the defaults. */
  readonly inboxPruning?: InboxPruningOptions;
  /**
   * Whether the inbox dedupes redeliveries. Off only in the control build (`NAIVE_DUAL_WRITE`), where
   * every delivery of an event is handled again, so the fault suite can show what the inbox prevents.
   * @default true
   */
  readonly inbox?: boolean;
}

/** The options with defaults applied and checked. */
export interface ResolvedOptions extends ConsumerRunnerOptions {
  readonly policy: RetryPolicy;
  readonly partitionsConsumedConcurrently: number;
  readonly commitIntervalMs: number;
  readonly sessionTimeoutMs: number;
  readonly handlerTimeoutMs: number;
  readonly deadLetterTimeoutMs: number;
  readonly maxMessageBytes: number;
  readonly inboxPruning: InboxPruning;
  readonly inbox: boolean;
}

const tuning = z.object({
  groupId: z.string().min(1),
  topics: z
    .array(z.string().min(1).refine((topic) => !topic.endsWith(DEAD_LETTER_SUFFIX), 'is a dead-letter topic'))
    .min(1)
    .refine((topics) => new Set(topics).size === topics.length, 'lists a topic twice'),
  partitionsConsumedConcurrently: z.int().min(1).max(64).default(1),
  commitIntervalMs: z.int().min(0).default(1_000),
  sessionTimeoutMs: z.int().min(6_000).default(30_000),
  handlerTimeoutMs: z.int().min(100).max(50_000).default(30_000),
  deadLetterTimeoutMs: z.int().min(100).max(50_000).default(30_000),
  maxMessageBytes: z.int().min(1_024).default(262_144),
  inboxPruning: inboxPruningSchema,
  inbox: z.boolean().default(true),
});

/**
 * Applies defaults and checks everything that can be checked before connecting, so a mistake stops
 * the program at start-up with its name.
 *
 * @throws ConsumerConfigError naming the option.
 */
export function resolveOptions(options: ConsumerRunnerOptions): ResolvedOptions {
  const parsed = tuning.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConsumerConfigError(`consumer option ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  let policy: RetryPolicy;
  try {
    policy = retryPolicy(options.retry);
  } catch (error) {
    const issue = error instanceof z.ZodError ? error.issues[0] : undefined;
    throw new ConsumerConfigError(`consumer option retry.${issue?.path.join('.') ?? ''}: ${issue?.message ?? String(error)}`);
  }
  const unhandled = eventTopics.filter(
    (topic) => options.topics.includes(topic.name) && options.handlers[topic.eventType] === undefined,
  );
  if (unhandled.length > 0) {
    const detail = unhandled.map((topic) => `${topic.eventType} (from ${topic.name})`).join(', ');
    throw new ConsumerConfigError(`group ${options.groupId} subscribes without a handler for ${detail}`);
  }
  return { ...options, ...parsed.data, policy };
}
