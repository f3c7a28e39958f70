import { z } from 'zod';
import { createUpcasterChain } from '../upcasting.js';
import { InventoryReserved, StockCommitted, StockDepleted, StockReceived, StockReleased } from './inventory.js';
import { NotificationRequested } from './notification.js';
import {
  OrderCancelled,
  OrderCompleted,
  OrderConfirmed,
  OrderCreated,
  RefundRequested,
  StockReleaseRequested,
  orderUpcasters,
} from './order.js';
import { PaymentCompleted, PaymentFailed, PaymentInitiated, PaymentRefunded } from './payment.js';
import { CategoryCreated, CategoryRenamed, ProductCreated, ProductUpdated } from './product.js';
import { PasswordResetRequested, UserCreated, UserPasswordChanged, UserUpdated, userUpcasters } from './user.js';

/** Every event type's definition (aggregate type, current schema version, schema), by event type. */
export const eventDefinitions = {
  UserCreated,
  UserUpdated,
  UserPasswordChanged,
  PasswordResetRequested,
  ProductCreated,
  ProductUpdated,
  CategoryCreated,
  CategoryRenamed,
  OrderCreated,
  OrderConfirmed,
  OrderCancelled,
  OrderCompleted,
  StockReleaseRequested,
  RefundRequested,
  StockReceived,
  InventoryReserved,
  StockReleased,
  StockCommitted,
  StockDepleted,
  PaymentInitiated,
  PaymentCompleted,
  PaymentFailed,
  PaymentRefunded,
  NotificationRequested,
} as const;

/** The name of a domain event type. */
export type EventType = keyof typeof eventDefinitions;

/** Every domain event type name. */
export const eventTypes = Object.keys(eventDefinitions) as readonly EventType[];

/** Any domain event at its current schema version, discriminated on `eventType`. */
export const DomainEvent = z.discriminatedUnion(
  'eventType',
  Object.values(eventDefinitions).map((d) => d.schema) as unknown as [
    (typeof eventDefinitions)[EventType]['schema'],
    ...(typeof eventDefinitions)[EventType]['schema'][],
  ],
);

/** Any domain event at its current schema version. */
export type DomainEvent = z.infer<typeof DomainEvent>;

/** The event of one type, e.g. `EventOf<'OrderCreated'>`. */
export type EventOf<T extends EventType> = Extract<DomainEvent, { eventType: T }>;

/** Reads a stored payload of any supported schema version in its current shape. */
export const upcastPayload = createUpcasterChain(
  Object.fromEntries(eventTypes.map((type) => [type, eventDefinitions[type].schemaVersion])),
  [...userUpcasters, ...orderUpcasters],
);
