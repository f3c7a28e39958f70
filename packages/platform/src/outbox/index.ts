export { outboxRelayOptionsFrom, outboxRelayVariables, type OutboxRelayConfig } from './config.js';
export { OUTBOX_HEADERS, type TopicResolver } from './messages.js';
export { createOutboxRelay, type OutboxRelay, type OutboxRelayOptions, type PublishedEvent } from './relay.js';
export { outboxMigrations } from './schema.js';
