export { type NewEvent, createEvent } from './create-event.js';
export { EventParseError, type EventParseErrorCode, type FieldIssue } from './errors.js';
export {
  DomainEvent,
  type EventOf,
  type EventType,
  eventDefinitions,
  eventTypes,
} from './events/index.js';
export { InventoryReserved, StockCommitted, StockDepleted, StockReceived, StockReleased } from './events/inventory.js';
export { NotificationRequested } from './events/notification.js';
export {
  OrderCancellationReason,
  OrderCancelled,
  OrderCompleted,
  OrderConfirmed,
  OrderCreated,
  OrderPayment,
  RefundRequested,
  StockReleaseRequested,
} from './events/order.js';
export { PaymentCompleted, PaymentFailed, PaymentInitiated, PaymentMethod, PaymentRefunded } from './events/payment.js';
export { CategoryCreated, CategoryRenamed, PriceChange, ProductCreated, ProductUpdated, Sku } from './events/product.js';
export { PasswordResetRequested, UserCreated, UserPasswordChanged, UserRole, UserUpdated } from './events/user.js';
export { Currency, Money, decimalAmount, minorUnitDigits } from './money.js';
export { type ParseEventResult, parseEvent } from './parse-event.js';
export { topicFor } from './routing.js';
export {
  type DeadLetterTopicSpec,
  type EventTopicSpec,
  type TopicSpec,
  type TopicTarget,
  topicSpecs,
} from './topic-specs.js';
export {
  type ConsumerGroup,
  type DeadLetterTopicName,
  type EventTopicDefinition,
  type EventTopicName,
  type ServiceName,
  DEAD_LETTER_SUFFIX,
  consumerGroups,
  deadLetterTopicFor,
  eventTopics,
  topicsConsumedBy,
} from './topics.js';
