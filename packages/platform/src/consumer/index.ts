export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff.js';
export { classifyError, type ErrorClassification } from './classify.js';
export { ConsumerConfigError, ConsumerError, NonRetriableError, RetriableError } from './errors.js';
export type { EventHandler, EventHandlers, HandlerContext } from './handlers.js';
export {
  inboxPruningFrom,
  inboxPruningVariables,
  type InboxPruningConfig,
} from './inbox-pruning-env.js';
export type { InboxPruning, InboxPruningOptions } from './inbox-retention.js';
export type { SourceRecord } from './headers.js';
export type { ConsumerRunnerOptions } from './options.js';
export { createConsumerRunner, type ConsumerRunner } from './runner.js';
