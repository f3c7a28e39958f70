import { type EventOf, type EventType, type NewEvent, createEvent } from '../src/index.js';

export const ids = {
  user: '6f1c2b7e-1d2a-4c3b-9a8e-2f1e0d9c8b7a',
  product: '0b0e5b8e-4c1f-4a5e-9c3d-1a2b3c4d5e6f',
  otherProduct: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
  category: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
  order: '3a4b5c6d-7e8f-4a0b-8c1d-2e3f4a5b6c7d',
  payment: 'c1d2e3f4-a5b6-4c7d-9e8f-0a1b2c3d4e5f',
  notification: 'e5f6a7b8-c9d0-4e1f-a2b3-c4d5e6f7a8b9',
  event: '7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e',
} as const;

const won = (amountMinor: number) => ({ amountMinor, currency: 'KRW' });

/** Envelope fields a producer supplies, for a first event in its stream. */
export const meta = {
  eventId: ids.event,
  version: 1,
  occurredAt: '2025-03-01T09:30:00.000Z',
  correlationId: 'req-1',
  causationId: 'req-1',
} as const;

const payloads: { [T in EventType]: NewEvent<T>['payload'] } = {
  UserCreated: { userId: ids.user, email: 'kim@example.com', name: 'Kim Minji', role: 'customer' },
  UserUpdated: { userId: ids.user, name: 'Kim Min-ji' },
  UserPasswordChanged: { userId: ids.user, via: 'change' },
  PasswordResetRequested: {
    userId: ids.user,
    email: 'kim@example.com',
    name: 'Kim Minji',
    resetToken: 'q3Vt0m1n9x2S8fJkLw4YpRz6bHc5DeGa',
    expiresAt: '2025-03-01T10:00:00.000Z',
  },
  ProductCreated: {
    productId: ids.product,
    sku: 'KET-17',
    name: 'Kettle',
    description: 'Stainless, 1.7 l',
    categoryId: ids.category,
    price: won(39_900),
    active: true,
  },
  ProductUpdated: { productId: ids.product, price: { from: won(39_900), to: won(35_900) } },
  CategoryCreated: { categoryId: ids.category, name: 'Kitchen' },
  CategoryRenamed: { categoryId: ids.category, name: 'Kitchen & dining', previousName: 'Kitchen' },
  OrderCreated: {
    orderId: ids.order,
    userId: ids.user,
    items: [
      { productId: ids.product, quantity: 2, unitPrice: won(39_900) },
      { productId: ids.otherProduct, quantity: 1, unitPrice: won(12_000) },
    ],
    total: won(91_800),
    payment: { method: 'CARD', token: 'pm_card_visa' },
  },
  OrderConfirmed: { orderId: ids.order, userId: ids.user, total: won(91_800), payment: { method: 'CARD', token: 'pm_card_visa' } },
  OrderCancelled: { orderId: ids.order, userId: ids.user, reason: 'PAYMENT_FAILED', detail: 'card declined' },
  OrderCompleted: { orderId: ids.order, paymentId: ids.payment },
  InventoryReserved: {
    orderId: ids.order,
    status: 'SUCCESS',
    items: [{ productId: ids.product, quantity: 2 }],
  },
  StockReleased: { orderId: ids.order, items: [{ productId: ids.product, quantity: 2 }], fromSold: false },
  StockCommitted: { orderId: ids.order, items: [{ productId: ids.product, quantity: 2 }] },
  StockReceived: { productId: ids.product, quantity: 100, available: 100 },
  StockReleaseRequested: { orderId: ids.order, reason: 'PAYMENT_FAILED' },
  RefundRequested: { orderId: ids.order, userId: ids.user, paymentId: ids.payment, reason: 'ORDER_CANCELLED' },
  StockDepleted: { productId: ids.product, available: 3, lowWaterMark: 5 },
  PaymentInitiated: { paymentId: ids.payment, orderId: ids.order, userId: ids.user, amount: won(91_800), method: 'CARD' },
  PaymentCompleted: {
    paymentId: ids.payment,
    orderId: ids.order,
    userId: ids.user,
    amount: won(91_800),
    method: 'CARD',
    gatewayReference: 'pg-20250301-0001',
  },
  PaymentFailed: {
    paymentId: ids.payment,
    orderId: ids.order,
    userId: ids.user,
    amount: won(91_800),
    code: 'DECLINED',
    reason: 'insufficient limit',
  },
  PaymentRefunded: {
    paymentId: ids.payment,
    orderId: ids.order,
    userId: ids.user,
    amount: won(91_800),
    gatewayReference: 'pg-20250301-0001',
    refundReference: 're-20250302-0001',
  },
  NotificationRequested: {
    notificationId: ids.notification,
    userId: ids.user,
    channel: 'email',
    to: 'kim@example.com',
    subject: 'Welcome',
    template: 'welcome-email',
    templateData: { name: 'Kim Minji' },
  },
};

/** A valid event of type `type`, built the way a producer builds one. */
export function sampleEvent<T extends EventType>(type: T): EventOf<T> {
  return createEvent({ ...meta, eventType: type, payload: payloads[type] } as NewEvent<T>);
}

/** The event as it travels: JSON, then parsed back into an untyped object. */
export function asWire(event: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
}
