import type { OrderPayment } from '@msa/contracts';
import type { EventDraft } from '@msa/platform';
import type { PlaceOrder } from '../../src/domain/order-decider.js';
import type { OrderEvent, OrderLine } from '../../src/domain/order.js';

export const orderId = '0b5e7c1a-8f3d-4a2b-9c6e-1d2f3a4b5c6d';
export const userId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
export const paymentId = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
export const otherPaymentId = '9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
export const kettle = 'a3bb189e-8bf9-4888-9912-ace4e6543002';
export const teapot = 'b4cc290f-9c0a-4999-8a23-bdf5f7654113';

export const payment: OrderPayment = { method: 'CARD', token: 'pm_card_visa' };

export const lines: [OrderLine, ...OrderLine[]] = [
  { productId: kettle, quantity: 2, unitPrice: { amountMinor: 3_990, currency: 'EUR' } },
  { productId: teapot, quantity: 1, unitPrice: { amountMinor: 2_500, currency: 'EUR' } },
];

export const place: PlaceOrder = { type: 'PlaceOrder', data: { orderId, userId, items: lines, payment } };

export const created: EventDraft<OrderEvent> = {
  eventType: 'OrderCreated',
  payload: { orderId, userId, items: lines, total: { amountMinor: 10_480, currency: 'EUR' }, payment },
};
export const confirmed: EventDraft<OrderEvent> = {
  eventType: 'OrderConfirmed',
  payload: { orderId, userId, total: { amountMinor: 10_480, currency: 'EUR' }, payment },
};
export const completed: EventDraft<OrderEvent> = { eventType: 'OrderCompleted', payload: { orderId, paymentId } };
export const cancelled = (reason: 'CUSTOMER_REQUEST' | 'PAYMENT_TIMEOUT' = 'CUSTOMER_REQUEST'): EventDraft<OrderEvent> => ({
  eventType: 'OrderCancelled',
  payload: { orderId, userId, reason },
});
export const releaseRequested: EventDraft<OrderEvent> = { eventType: 'StockReleaseRequested', payload: { orderId, reason: 'ORDER_CANCELLED' } };
export const refundRequested = (id = paymentId, reason: 'ORDER_CANCELLED' | 'LATE_PAYMENT' = 'ORDER_CANCELLED'): EventDraft<OrderEvent> => ({
  eventType: 'RefundRequested',
  payload: { orderId, userId, paymentId: id, reason },
});
