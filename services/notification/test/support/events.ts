import { randomUUID } from 'node:crypto';
import { createEvent, type EventOf } from '@msa/contracts';

const envelope = () => ({ eventId: randomUUID(), occurredAt: new Date().toISOString(), correlationId: randomUUID(), causationId: randomUUID() });

/** A registration of a fresh user at `email`. */
export function userCreated(email: string, phone?: string): EventOf<'UserCreated'> {
  return createEvent({
    ...envelope(),
    version: 1,
    eventType: 'UserCreated',
    payload: { userId: randomUUID(), email, name: 'Kim Minji', role: 'customer', ...(phone === undefined ? {} : { phone }) },
  });
}

export function passwordResetRequested(user: EventOf<'UserCreated'>, resetToken: string): EventOf<'PasswordResetRequested'> {
  const { userId, email, name } = user.payload;
  const expiresAt = new Date(Date.now() + 1_800_000).toISOString();
  return createEvent({ ...envelope(), version: 2, eventType: 'PasswordResetRequested', payload: { userId, email, name, resetToken, expiresAt } });
}

export function paymentCompleted(userId: string): EventOf<'PaymentCompleted'> {
  return createEvent({
    ...envelope(),
    version: 2,
    eventType: 'PaymentCompleted',
    payload: { paymentId: randomUUID(), orderId: randomUUID(), userId, amount: { amountMinor: 91_800, currency: 'KRW' }, method: 'CARD', gatewayReference: 'gw-1' },
  });
}

export function stockDepleted(): EventOf<'StockDepleted'> {
  return createEvent({ ...envelope(), version: 4, eventType: 'StockDepleted', payload: { productId: randomUUID(), available: 0, lowWaterMark: 0 } });
}

export function userUpdated(user: EventOf<'UserCreated'>, version: number, changes: { email?: string; phone?: string }): EventOf<'UserUpdated'> {
  return createEvent({ ...envelope(), version, eventType: 'UserUpdated', payload: { userId: user.payload.userId, ...changes } });
}

export function orderCancelled(userId: string): EventOf<'OrderCancelled'> {
  return createEvent({
    ...envelope(),
    version: 3,
    eventType: 'OrderCancelled',
    payload: { orderId: randomUUID(), userId, reason: 'PAYMENT_FAILED', detail: 'The card was declined.' },
  });
}
