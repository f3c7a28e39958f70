import { createEvent, type EventOf } from '@msa/contracts';

export const TRIGGER_ID = '11111111-1111-4111-8111-111111111111';
export const USER_ID = '22222222-2222-4222-8222-222222222222';
export const ORDER_ID = '33333333-3333-4333-8333-333333333333';
export const PAYMENT_ID = '44444444-4444-4444-8444-444444444444';
export const PRODUCT_ID = '55555555-5555-4555-8555-555555555555';
export const RESET_TOKEN = 'dG9rZW4tdGhhdC1pcy1sb25nLWVub3VnaC10by1wYXNz';

const envelope = { eventId: TRIGGER_ID, version: 1, occurredAt: '2026-03-01T09:00:00.000Z', correlationId: 'flow', causationId: 'cause' };

export const userCreated = (phone?: string): EventOf<'UserCreated'> =>
  createEvent({
    ...envelope,
    eventType: 'UserCreated',
    payload: { userId: USER_ID, email: 'minji@example.com', name: 'Kim Minji', role: 'customer', ...(phone === undefined ? {} : { phone }) },
  });

export const resetRequested = (): EventOf<'PasswordResetRequested'> =>
  createEvent({
    ...envelope,
    version: 3,
    eventType: 'PasswordResetRequested',
    payload: { userId: USER_ID, email: 'minji@example.com', name: 'Kim Minji', resetToken: RESET_TOKEN, expiresAt: '2026-03-01T09:30:00.000Z' },
  });

export const paymentCompleted = (amountMinor = 91_800, currency = 'KRW'): EventOf<'PaymentCompleted'> =>
  createEvent({
    ...envelope,
    eventType: 'PaymentCompleted',
    payload: { paymentId: PAYMENT_ID, orderId: ORDER_ID, userId: USER_ID, amount: { amountMinor, currency }, method: 'CARD', gatewayReference: 'gw-1' },
  });

export const orderCancelled = (detail?: string): EventOf<'OrderCancelled'> =>
  createEvent({
    ...envelope,
    version: 2,
    eventType: 'OrderCancelled',
    payload: { orderId: ORDER_ID, userId: USER_ID, reason: 'INSUFFICIENT_STOCK', ...(detail === undefined ? {} : { detail }) },
  });

export const stockDepleted = (): EventOf<'StockDepleted'> =>
  createEvent({ ...envelope, eventType: 'StockDepleted', payload: { productId: PRODUCT_ID, available: 2, lowWaterMark: 5 } });
