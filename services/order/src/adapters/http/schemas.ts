import { Money, OrderCancellationReason, OrderPayment, PaymentMethod } from '@msa/contracts';
import { z } from 'zod';

/** `POST /api/orders`: what to buy and how to pay; prices come from the service's own price list. */
export const PlaceOrderRequest = z
  .strictObject({
    items: z
      .array(z.strictObject({ productId: z.uuid(), quantity: z.int().min(1).max(1_000) }))
      .min(1)
      .max(100),
    payment: OrderPayment,
  })
  .meta({ id: 'PlaceOrderRequest', description: 'The lines of the order and the payment provider’s token, never a card number' });

/** An order id in the path. */
export const IdParams = z.object({ id: z.uuid() });

/** `GET /api/orders`, its page-size bounds from the configuration. */
export function listOrdersQuery({ defaultLimit, maxLimit }: { readonly defaultLimit: number; readonly maxLimit: number }) {
  return z.object({
    limit: z.coerce.number().int().min(1).max(maxLimit).default(defaultLimit),
    cursor: z.string().max(1000).optional().meta({ description: 'the nextCursor of the previous page' }),
    userId: z.uuid().optional().meta({ description: 'admins only: that user’s orders (without it, every order)' }),
  });
}

const OrderLineResponse = z.object({ productId: z.uuid(), quantity: z.int().min(1), unitPrice: Money, lineTotal: Money });

const SagaStepResponse = z.object({
  step: z.string(),
  at: z.iso.datetime(),
  eventIds: z.array(z.string()),
  traceId: z.string().optional(),
});

/** Where the order's saga stands and what it did, step by step. */
export const SagaResponse = z
  .object({
    state: z.enum(['AWAITING_RESERVATION', 'AWAITING_PAYMENT', 'COMPLETED', 'RELEASING', 'CANCELLED']),
    deadline: z.object({ awaiting: z.enum(['RESERVATION', 'PAYMENT']), at: z.iso.datetime() }).optional(),
    steps: z.array(SagaStepResponse),
  })
  .meta({ id: 'OrderSaga' });

/** An order; `version` is its stream version, which grows with every event of the order. */
export const OrderResponse = z
  .object({
    orderId: z.uuid(),
    userId: z.uuid(),
    status: z.enum(['CREATED', 'CONFIRMED', 'COMPLETED', 'CANCELLED']),
    items: z.array(OrderLineResponse),
    total: Money,
    payment: z.object({ method: PaymentMethod }).optional(),
    cancellation: z.object({ reason: OrderCancellationReason, detail: z.string().optional() }).optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.int().min(1),
  })
  .meta({ id: 'Order' });

/** An order with its saga. */
export const OrderDetailResponse = OrderResponse.extend({ saga: SagaResponse.optional() }).meta({ id: 'OrderDetail' });

/** A page of orders, newest first, and the cursor of the next one (absent on the last page). */
export const OrderPageResponse = z.object({ items: z.array(OrderResponse), nextCursor: z.string().optional() }).meta({ id: 'OrderPage' });
