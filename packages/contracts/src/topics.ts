/**
 * The Kafka topic catalog: every topic the platform publishes to, who produces and who consumes it,
 * and the dead-letter topic beside each consumed one. Services, manifests and the operator all read
 * this one list, so no topic name is typed twice.
 */
import type { EventType } from './events/index.js';

/** The six services of the platform. */
export type ServiceName = 'user' | 'product' | 'order' | 'payment' | 'inventory' | 'notification';

/**
 * Every Kafka consumer group, one per (service, handler). The group id is the key; the owning service
 * and the reason it consumes are documentation other programs can render.
 */
export const consumerGroups = {
  'user.read-model': { service: 'user', purpose: 'projects user profiles into the read model' },
  'user.sessions': {
    service: 'user',
    purpose: 'records when a password change retires the tokens issued before it, for every service',
  },
  'product.read-model': { service: 'product', purpose: 'projects the catalog into the read model' },
  'order.read-model': { service: 'order', purpose: 'projects orders into the read model' },
  'order.price-list': {
    service: 'order',
    purpose: 'keeps the order service\'s own price list of the catalog\'s products, their prices and whether they sell',
  },
  'order.saga': {
    service: 'order',
    purpose: 'confirms, completes or cancels orders from reservation, release, payment and refund outcomes',
  },
  'inventory.reservations': {
    service: 'inventory',
    purpose: 'opens a stock record per product, reserves stock for new orders, sells it when they complete and releases it when asked',
  },
  'payment.processor': { service: 'payment', purpose: 'charges confirmed orders and refunds them when asked' },
  'payment.read-model': { service: 'payment', purpose: 'projects payments into the read model' },
  'notification.triggers': {
    service: 'notification',
    purpose:
      'keeps each user\'s addresses and requests the welcome, password reset, receipt, cancellation and low-stock messages',
  },
  'notification.dispatcher': { service: 'notification', purpose: 'sends requested emails, SMS and Web Push messages' },
} as const satisfies Readonly<Record<string, { service: ServiceName; purpose: string }>>;

/** A consumer group id from {@link consumerGroups}. */
export type ConsumerGroup = keyof typeof consumerGroups;

/** One topic that carries domain events, before it is sized for a cluster. */
export interface EventTopicDefinition {
  /** `{domain}.{entity}.{action}`. */
  readonly name: string;
  /** The domain event type published here. */
  readonly eventType: EventType;
  /** The service whose outbox publishes to this topic. */
  readonly producer: ServiceName;
  /** Partition count; never lowered once created, since keys would move between partitions. */
  readonly partitions: number;
  /** Consumer groups subscribed to this topic; a topic with any gets a dead-letter topic. */
  readonly consumers: readonly ConsumerGroup[];
}

/**
 * The topics that carry domain events. Partitions follow the original design (5 for orders, the
 * busiest flow; 2 for notifications; 3 elsewhere). Consumers follow its flows: each service projects
 * its own events into its read model (but inventory, which answers from the stock levels it keeps in
 * PostgreSQL beside its events, so its sold and restock topics have no consumer yet), the order
 * service keeps a price list of the catalog, the order
 * saga reacts to reservations, releases, payments and refunds, inventory opens a stock record per
 * product, reserves for new orders, sells what completed orders held and releases on request, payment
 * charges confirmed orders and refunds on request, and notification reacts to sign-ups, reset
 * requests, completed payments, cancellations and depleted stock, then dispatches what was requested.
 * Topics beyond the original design's list: categories (the catalog's second aggregate), password
 * changes and reset requests, Web Push requests (a channel it names), restocks, sold reservations,
 * refunds and their requests (the compensations the design describes without naming a topic).
 */
export const eventTopics = [
  {
    name: 'user.profile.created',
    eventType: 'UserCreated',
    producer: 'user',
    partitions: 3,
    consumers: ['user.read-model', 'notification.triggers'],
  },
  {
    name: 'user.profile.updated',
    eventType: 'UserUpdated',
    producer: 'user',
    partitions: 3,
    consumers: ['user.read-model', 'notification.triggers'],
  },
  {
    name: 'user.credentials.changed',
    eventType: 'UserPasswordChanged',
    producer: 'user',
    partitions: 3,
    consumers: ['user.sessions'],
  },
  {
    name: 'user.password.reset.requested',
    eventType: 'PasswordResetRequested',
    producer: 'user',
    partitions: 3,
    consumers: ['notification.triggers'],
  },
  {
    name: 'product.catalog.created',
    eventType: 'ProductCreated',
    producer: 'product',
    partitions: 3,
    consumers: ['product.read-model', 'order.price-list', 'inventory.reservations'],
  },
  {
    name: 'product.catalog.updated',
    eventType: 'ProductUpdated',
    producer: 'product',
    partitions: 3,
    consumers: ['product.read-model', 'order.price-list'],
  },
  {
    name: 'product.category.created',
    eventType: 'CategoryCreated',
    producer: 'product',
    partitions: 3,
    consumers: ['product.read-model'],
  },
  {
    name: 'product.category.renamed',
    eventType: 'CategoryRenamed',
    producer: 'product',
    partitions: 3,
    consumers: ['product.read-model'],
  },
  {
    name: 'order.lifecycle.created',
    eventType: 'OrderCreated',
    producer: 'order',
    partitions: 5,
    consumers: ['order.read-model', 'inventory.reservations'],
  },
  {
    name: 'order.lifecycle.confirmed',
    eventType: 'OrderConfirmed',
    producer: 'order',
    partitions: 5,
    consumers: ['order.read-model', 'payment.processor'],
  },
  {
    name: 'order.lifecycle.cancelled',
    eventType: 'OrderCancelled',
    producer: 'order',
    partitions: 5,
    consumers: ['order.read-model', 'notification.triggers'],
  },
  {
    name: 'order.lifecycle.completed',
    eventType: 'OrderCompleted',
    producer: 'order',
    partitions: 5,
    consumers: ['order.read-model', 'inventory.reservations'],
  },
  {
    name: 'payment.transaction.initiated',
    eventType: 'PaymentInitiated',
    producer: 'payment',
    partitions: 3,
    consumers: ['payment.read-model'],
  },
  {
    name: 'payment.transaction.completed',
    eventType: 'PaymentCompleted',
    producer: 'payment',
    partitions: 3,
    consumers: ['payment.read-model', 'order.saga', 'notification.triggers'],
  },
  {
    name: 'payment.transaction.failed',
    eventType: 'PaymentFailed',
    producer: 'payment',
    partitions: 3,
    consumers: ['payment.read-model', 'order.saga'],
  },
  {
    name: 'payment.transaction.refunded',
    eventType: 'PaymentRefunded',
    producer: 'payment',
    partitions: 3,
    consumers: ['payment.read-model', 'order.saga'],
  },
  {
    name: 'inventory.stock.reserved',
    eventType: 'InventoryReserved',
    producer: 'inventory',
    partitions: 3,
    consumers: ['order.saga'],
  },
  {
    name: 'inventory.stock.released',
    eventType: 'StockReleased',
    producer: 'inventory',
    partitions: 3,
    consumers: ['order.saga'],
  },
  {
    name: 'inventory.stock.committed',
    eventType: 'StockCommitted',
    producer: 'inventory',
    partitions: 3,
    consumers: [],
  },
  {
    name: 'inventory.stock.received',
    eventType: 'StockReceived',
    producer: 'inventory',
    partitions: 3,
    consumers: [],
  },
  {
    name: 'inventory.stock.depleted',
    eventType: 'StockDepleted',
    producer: 'inventory',
    partitions: 3,
    consumers: ['notification.triggers'],
  },
  // Published by the order saga and consumed by inventory: named for the stock it asks to release.
  {
    name: 'inventory.stock.release.requested',
    eventType: 'StockReleaseRequested',
    producer: 'order',
    partitions: 3,
    consumers: ['inventory.reservations'],
  },
  // Published by the order saga and consumed by payment: named for the charge it asks to refund.
  {
    name: 'payment.refund.requested',
    eventType: 'RefundRequested',
    producer: 'order',
    partitions: 3,
    consumers: ['payment.processor'],
  },
  {
    name: 'notification.email.requested',
    eventType: 'NotificationRequested',
    producer: 'notification',
    partitions: 2,
    consumers: ['notification.dispatcher'],
  },
  {
    name: 'notification.sms.requested',
    eventType: 'NotificationRequested',
    producer: 'notification',
    partitions: 2,
    consumers: ['notification.dispatcher'],
  },
  {
    name: 'notification.push.requested',
    eventType: 'NotificationRequested',
    producer: 'notification',
    partitions: 2,
    consumers: ['notification.dispatcher'],
  },
] as const satisfies readonly EventTopicDefinition[];

/** The name of a topic that carries domain events. */
export type EventTopicName = (typeof eventTopics)[number]['name'];

/** Suffix that names the dead-letter topic of a consumed topic. */
export const DEAD_LETTER_SUFFIX = '.DLT';

/** The dead-letter topic of `topic`: where messages its consumers cannot handle are parked. */
export function deadLetterTopicFor<T extends string>(topic: T): `${T}${typeof DEAD_LETTER_SUFFIX}` {
  return `${topic}${DEAD_LETTER_SUFFIX}`;
}

/** The name of a dead-letter topic in the catalog. */
export type DeadLetterTopicName = `${EventTopicName}${typeof DEAD_LETTER_SUFFIX}`;

/** The catalog topics a consumer group subscribes to, in catalog order. */
export function topicsConsumedBy(group: ConsumerGroup): readonly EventTopicName[] {
  return eventTopics
    .filter((t) => (t.consumers as readonly ConsumerGroup[]).includes(group))
    .map((t) => t.name);
}
