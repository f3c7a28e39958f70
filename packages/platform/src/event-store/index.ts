export { NO_STREAM } from './append-request.js';
export {
  createCommandHandler,
  type CommandContext,
  type CommandHandler,
  type CommandHandlerOptions,
  type CommandResult,
} from './command-handler.js';
export type { AggregateEvent, AggregateType, DecisionContext, Decider, EventDraft } from './decider.js';
export { ConcurrencyError, InvalidAppendError, StoredEventError } from './errors.js';
export {
  createEventStore,
  type AppendResult,
  type EventStore,
  type EventStoreOptions,
  type InTransaction,
  type ReadStreamOptions,
  type StreamEvents,
  type TimeRangeQuery,
} from './event-store.js';
export type { RecordedEvent } from './rows.js';
export { eventStoreMigrations } from './schema.js';
