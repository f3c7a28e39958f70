import { z } from 'zod';
import { Money, decimalAmount } from '../money.js';
import { defineUpcaster } from '../upcasting.js';
import { defineEvent } from './envelope.js';
import { id, quantity, text } from './fields.js';
import { PaymentMethod } from './payment.js';

const orderItem = z.object({ productId: id, quantity, unitPrice: Money });

/**
 * How the customer pays: the method and the provider's token for it (such as Stripe's `pm_card_visa`).
 * Card numbers never reach the platform; only the token the provider's client library made does.
 */
export const OrderPayment = z.object({
  method: PaymentMethod,
  token: z.string().regex(/^[A-Za-z0-9_]{3,200}$/, 'must be a payment provider token such as pm_card_visa'),
});
/** How the customer pays. */
export type OrderPayment = z.infer<typeof OrderPayment>;

const orderCreatedPayload = z
  .object({
    orderId: id,
    userId: id,
    items: z
      .array(orderItem)
      .min(1)
      .refine(
        (items) => new Set(items.map((i) => i.productId)).size === items.length,
        'must name each product at most once',
      ),
    total: Money,
    // Absent only on v1 orders, which were paid outside the platform before it took payment tokens.
    payment: OrderPayment.optional(),
  })
  .superRefine(({ items, total }, ctx) => {
    items.forEach((item, index) => {
      if (item.unitPrice.currency !== total.currency) {
        ctx.addIssue({
          code: 'custom',
          path: ['items', index, 'unitPrice', 'currency'],
          message: `must be the order's currency ${total.currency}`,
        });
      }
    });
  });

/** A customer placed an order; it awaits a stock reservation. aggregateId is the order id. */
export const OrderCreated = defineEvent({
  eventType: 'OrderCreated',
  aggregateType: 'Order',
  schemaVersion: 2,
  payload: orderCreatedPayload,
  aggregateIdField: 'orderId',
});

/** A customer placed an order. */
export type OrderCreated = z.infer<typeof OrderCreated.schema>;

/** Stock for every item was reserved, so the order awaits payment. aggregateId is the order id. */
export const OrderConfirmed = defineEvent({
  eventType: 'OrderConfirmed',
  aggregateType: 'Order',
  schemaVersion: 1,
  payload: z.object({ orderId: id, userId: id, total: Money, payment: OrderPayment }),
  aggregateIdField: 'orderId',
});

/** Stock for every item was reserved. */
export type OrderConfirmed = z.infer<typeof OrderConfirmed.schema>;

/** Why an order was cancelled. */
export const OrderCancellationReason = z.enum([
  'INSUFFICIENT_STOCK',
  'PAYMENT_FAILED',
  'CUSTOMER_REQUEST',
  // No reservation outcome, or no payment outcome, arrived before the saga's deadline.
  'RESERVATION_TIMEOUT',
  'PAYMENT_TIMEOUT',
]);

/** Why an order was cancelled. */
export type OrderCancellationReason = z.infer<typeof OrderCancellationReason>;

/** An order was cancelled; `detail` says more for people. aggregateId is the order id. */
export const OrderCancelled = defineEvent({
  eventType: 'OrderCancelled',
  aggregateType: 'Order',
  schemaVersion: 1,
  payload: z.object({ orderId: id, userId: id, reason: OrderCancellationReason, detail: text(500).optional() }),
  aggregateIdField: 'orderId',
});

/** An order was cancelled. */
export type OrderCancelled = z.infer<typeof OrderCancelled.schema>;

/** The order was paid and is complete. aggregateId is the order id. */
export const OrderCompleted = defineEvent({
  eventType: 'OrderCompleted',
  aggregateType: 'Order',
  schemaVersion: 1,
  payload: z.object({ orderId: id, paymentId: id }),
  aggregateIdField: 'orderId',
});

/** The order was paid and is complete. */
export type OrderCompleted = z.infer<typeof OrderCompleted.schema>;

/**
 * The order saga asks inventory to release the order's reservation (after a failed payment or a
 * cancellation). Recorded on the order's stream, so aggregateId is the order id.
 */
export const StockReleaseRequested = defineEvent({
  eventType: 'StockReleaseRequested',
  aggregateType: 'Order',
  schemaVersion: 1,
  payload: z.object({ orderId: id, reason: z.enum(['PAYMENT_FAILED', 'ORDER_CANCELLED', 'DEADLINE_PASSED']) }),
  aggregateIdField: 'orderId',
});

/** The order saga asks inventory to release the order's reservation. */
export type StockReleaseRequested = z.infer<typeof StockReleaseRequested.schema>;

/**
 * The order saga asks payment to refund the order's charge: the customer cancelled after paying, or the
 * charge succeeded after the order had been cancelled at its deadline. Recorded on the order's stream,
 * so aggregateId is the order id.
 */
export const RefundRequested = defineEvent({
  eventType: 'RefundRequested',
  aggregateType: 'Order',
  schemaVersion: 1,
  payload: z.object({
    orderId: id,
    userId: id,
    paymentId: id,
    reason: z.enum(['ORDER_CANCELLED', 'LATE_PAYMENT']),
  }),
  aggregateIdField: 'orderId',
});

/** The order saga asks payment to refund the order's charge. */
export type RefundRequested = z.infer<typeof RefundRequested.schema>;

// v1 orders carry no currency: the shop sold in won alone before prices carried a currency.
const v1Currency = 'KRW';

/** Schema evolution of the order events. */
export const orderUpcasters = [
  defineUpcaster({
    eventType: 'OrderCreated',
    fromVersion: 1,
    reason:
      'v1 wrote amounts as decimal strings without a currency and repeated the time as createdAt; ' +
      'v2 counts integer minor units with an ISO 4217 currency so no reader parses money as a float',
    from: z.object({
      orderId: id,
      userId: id,
      items: z.array(z.object({ productId: id, quantity, unitPrice: decimalAmount(v1Currency) })),
      totalAmount: decimalAmount(v1Currency),
      createdAt: z.string(),
    }),
    upcast: ({ orderId, userId, items, totalAmount }): z.input<typeof orderCreatedPayload> => ({
      orderId,
      userId,
      items,
      total: totalAmount,
    }),
  }),
];
