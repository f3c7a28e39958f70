export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry/backoff.js';
export { classifyError, type ErrorClassification } from './retry/classify.js';
export { ConsumerConfigError, ConsumerError, NonRetriableError, RetriableError } from './errors.js';
export type { EventHandler, EventHandlers, HandlerContext, SourceRecord } from './handlers.js';
export {
  inboxPruningFrom,
  inboxPruningVariables,
  type InboxPruningConfig,
} from './inbox/pruning-env.js';
export type { InboxPruning, InboxPruningOptions } from './inbox/retention.js';
export type { ConsumerRunnerOptions } from './options.js';
export { createConsumerRunner, type ConsumerRunner } from './runner.js';
export { consumerMigrations } from './schema.js';
