import { Money, PaymentMethod } from '@msa/contracts';
import { z } from 'zod';

/** `GET /api/payments` */
export const PaymentsQuery = z.object({ orderId: z.uuid() });

/** One payment. */
export const PaymentResponse = z
  .object({
    paymentId: z.uuid(),
    orderId: z.uuid(),
    userId: z.uuid(),
    status: z.enum(['INITIATED', 'COMPLETED', 'FAILED', 'REFUNDED']),
    amount: Money,
    method: PaymentMethod,
    /** The provider's reference of the succeeded charge. */
    gatewayReference: z.string().optional(),
    failure: z.object({ code: z.enum(['DECLINED', 'INSUFFICIENT_FUNDS', 'GATEWAY_ERROR', 'TIMEOUT']), reason: z.string() }).optional(),
    refund: z.object({ reference: z.string(), at: z.iso.datetime() }).optional(),
    /** Gateway calls the charge has taken so far. */
    attempts: z.int().min(0),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Payment' });

/** An order's payments. */
export const PaymentListResponse = z.object({ items: z.array(PaymentResponse) }).meta({ id: 'PaymentList' });

/** `POST /api/payments/:paymentId/retry` */
export const PaymentIdParams = z.object({ paymentId: z.uuid() });

/** The parked calls made due again. */
export const RetryResponse = z
  .object({ paymentId: z.uuid(), retrying: z.array(z.enum(['charge', 'refund'])).min(1) })
  .meta({ id: 'PaymentRetry' });
