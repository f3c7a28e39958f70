import { randomUUID } from 'node:crypto';
import { createEvent, type EventOf } from '@msa/contracts';
import { paymentIdFor } from '../../src/domain/payment-id.js';

const envelope = () => ({ eventId: randomUUID(), occurredAt: new Date().toISOString(), correlationId: randomUUID(), causationId: randomUUID() });

/** The order saga's confirmation of a fresh order of `userId`, to be paid with `token`. */
export function orderConfirmed(userId: string, token: string, amountMinor = 91_800): EventOf<'OrderConfirmed'> {
  return createEvent({
    ...envelope(),
    version: 2,
    eventType: 'OrderConfirmed',
    payload: { orderId: randomUUID(), userId, total: { amountMinor, currency: 'KRW' }, payment: { method: 'CARD', token } },
  });
}

/** The saga sending the same confirmation again as a new event (a replay after a crash of its own). */
export function confirmedAgain(confirmed: EventOf<'OrderConfirmed'>): EventOf<'OrderConfirmed'> {
  return { ...confirmed, eventId: randomUUID() };
}

/** The saga asking for the refund of the order's charge. */
export function refundRequested(confirmed: EventOf<'OrderConfirmed'>, reason: 'ORDER_CANCELLED' | 'LATE_PAYMENT' = 'ORDER_CANCELLED'): EventOf<'RefundRequested'> {
  const { orderId, userId } = confirmed.payload;
  return createEvent({ ...envelope(), version: 4, eventType: 'RefundRequested', payload: { orderId, userId, paymentId: paymentIdFor(orderId), reason } });
}
