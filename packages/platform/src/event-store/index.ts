export { NO_STREAM } from './append-request.js';
export {
  handleCommand,
  type AggregateEvent,
  type AggregateType,
  type CommandContext,
  type CommandHandlerOptions,
  type CommandResult,
  type Decider,
  type EventDraft,
} from './command-handler.js';
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
