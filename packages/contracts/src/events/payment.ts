import { z } from 'zod';
import { Money } from '../money.js';
import { defineEvent } from './envelope.js';
import { id, text } from './fields.js';

const charge = { paymentId: id, orderId: id, userId: id, amount: Money };

/** How a customer paid. */
export const PaymentMethod = z.enum(['CARD', 'BANK_TRANSFER', 'WALLET']);

/** How a customer paid. */
export type PaymentMethod = z.infer<typeof PaymentMethod>;

/**
 * A charge for a confirmed order was started, by `method` (so a payment shows how it is paid before
 * the gateway answers). aggregateId is the payment id.
 */
export const PaymentInitiated = defineEvent({
  eventType: 'PaymentInitiated',
  aggregateType: 'Payment',
  schemaVersion: 1,
  payload: z.object({ ...charge, method: PaymentMethod }),
  aggregateIdField: 'paymentId',
});

/** A charge for a confirmed order was started. */
export type PaymentInitiated = z.infer<typeof PaymentInitiated.schema>;

/** The charge succeeded. aggregateId is the payment id. */
export const PaymentCompleted = defineEvent({
  eventType: 'PaymentCompleted',
  aggregateType: 'Payment',
  schemaVersion: 1,
  payload: z.object({ ...charge, method: PaymentMethod, gatewayReference: text(200) }),
  aggregateIdField: 'paymentId',
});

/** The charge succeeded. */
export type PaymentCompleted = z.infer<typeof PaymentCompleted.schema>;

/** The charge failed; `code` is for machines, `reason` for people. aggregateId is the payment id. */
export const PaymentFailed = defineEvent({
  eventType: 'PaymentFailed',
  aggregateType: 'Payment',
  schemaVersion: 1,
  payload: z.object({
    ...charge,
    code: z.enum(['DECLINED', 'INSUFFICIENT_FUNDS', 'GATEWAY_ERROR', 'TIMEOUT']),
    reason: text(500),
  }),
  aggregateIdField: 'paymentId',
});

/** The charge failed. */
export type PaymentFailed = z.infer<typeof PaymentFailed.schema>;

/** A completed charge was refunded in full. aggregateId is the payment id. */
export const PaymentRefunded = defineEvent({
  eventType: 'PaymentRefunded',
  aggregateType: 'Payment',
  schemaVersion: 1,
  payload: z.object({ ...charge, gatewayReference: text(200), refundReference: text(200) }),
  aggregateIdField: 'paymentId',
});
/** A completed charge was refunded in full. */
export type PaymentRefunded = z.infer<typeof PaymentRefunded.schema>;
