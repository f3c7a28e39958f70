export { DEFAULT_RETRY_POLICY, retryDelayMs, retryPolicy, type RetryPolicy } from './backoff.js';
export { classifyError, type ErrorClassification } from './classify.js';
export { ConsumerConfigError, ConsumerError, NonRetriableError, RetriableError } from './errors.js';
export type { EventHandler, EventHandlers, HandlerContext } from './handlers.js';
export {
  DLT_HEADER,
  REPLAY_HEADER,
  readDeadLetterInfo,
  type DeadLetterInfo,
  type DeadLetterReason,
  type SourceRecord,
} from './headers.js';
export type { ConsumerRunnerOptions } from './options.js';
export type { ParkedKey } from './parking.js';
export { createConsumerRunner, type ConsumerRunner } from './runner.js';
