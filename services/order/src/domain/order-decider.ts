import type { OrderCancellationReason, OrderPayment, RefundRequested, StockReleaseRequested } from '@msa/contracts';
import type { Decider, EventDraft } from '@msa/platform';
import { OrderAlreadyExists, OrderNotFound, OrderStatusConflict } from './errors.js';
import { evolveOrder, initialOrderState, type Order, type OrderEvent, type OrderLine, type OrderState } from './order.js';
import { orderTotal } from './pricing.js';

/** A customer places an order of priced lines (see `priceLines`), to pay with `payment`. */
export interface PlaceOrder {
  readonly type: 'PlaceOrder';
  readonly data: {
    readonly orderId: string;
    readonly userId: string;
    readonly items: readonly [OrderLine, ...OrderLine[]];
    readonly payment: OrderPayment;
  };
}

/** Stock is held for every line, so the order awaits payment. */
export interface ConfirmOrder {
  readonly type: 'ConfirmOrder';
  readonly data: { readonly orderId: string };
}

/** The charge succeeded. */
export interface CompleteOrder {
  readonly type: 'CompleteOrder';
  readonly data: { readonly orderId: string; readonly paymentId: string };
}

/** The order ends unfulfilled. */
export interface CancelOrder {
  readonly type: 'CancelOrder';
  readonly data: { readonly orderId: string; readonly reason: OrderCancellationReason; readonly detail?: string | undefined };
}

/** Ask inventory to release what the order holds; may be asked again (inventory answers each alike). */
export interface RequestStockRelease {
  readonly type: 'RequestStockRelease';
  readonly data: { readonly orderId: string; readonly reason: StockReleaseRequested['payload']['reason'] };
}

/** Ask payment to refund a charge of the order, at most once per charge. */
export interface RequestRefund {
  readonly type: 'RequestRefund';
  readonly data: { readonly orderId: string; readonly paymentId: string; readonly reason: RefundRequested['payload']['reason'] };
}

/** What can be asked of the Order aggregate. */
export type OrderCommand = PlaceOrder | ConfirmOrder | CompleteOrder | CancelOrder | RequestStockRelease | RequestRefund;

type OrderDraft = EventDraft<OrderEvent>;

/**
 * Decides which events a command produces against the current state, or throws the rule it breaks.
 * The order only moves forward: CREATED → CONFIRMED → COMPLETED, or to CANCELLED from any of them.
 */
export function decideOrder(command: OrderCommand, state: OrderState): OrderDraft[] {
  if (command.type === 'PlaceOrder') return place(command.data, state);
  if (state.status === 'absent') throw new OrderNotFound(command.data.orderId);
  const { order } = state;
  const { orderId, userId } = order;
  switch (command.type) {
    case 'ConfirmOrder':
      if (order.status !== 'CREATED' || order.payment === undefined) throw new OrderStatusConflict(orderId, order.status, 'confirmed');
      return [{ eventType: 'OrderConfirmed', payload: { orderId, userId, total: order.total, payment: order.payment } }];
    case 'CompleteOrder':
      if (order.status !== 'CONFIRMED') throw new OrderStatusConflict(orderId, order.status, 'completed');
      return [{ eventType: 'OrderCompleted', payload: { orderId, paymentId: command.data.paymentId } }];
    case 'CancelOrder': {
      if (order.status === 'CANCELLED') throw new OrderStatusConflict(orderId, order.status, 'cancelled');
      const { reason, detail } = command.data;
      return [{ eventType: 'OrderCancelled', payload: { orderId, userId, reason, ...(detail === undefined ? {} : { detail }) } }];
    }
    case 'RequestStockRelease':
      return [{ eventType: 'StockReleaseRequested', payload: { orderId, reason: command.data.reason } }];
    case 'RequestRefund':
      return refund(order, command.data);
    default:
      return assertNever(command);
  }
}

function place({ orderId, userId, items, payment }: PlaceOrder['data'], state: OrderState): OrderDraft[] {
  if (state.status === 'placed') throw new OrderAlreadyExists(orderId);
  return [{ eventType: 'OrderCreated', payload: { orderId, userId, items: [...items], total: orderTotal(items), payment } }];
}

/**
 * A charge is refunded once: a second request for it records nothing. A customer's refund is of the
 * charge that completed the order; a late payment's is of any other.
 */
function refund(order: Order, { paymentId, reason }: RequestRefund['data']): OrderDraft[] {
  if (order.refundsRequested.includes(paymentId)) return [];
  const completedBy = order.status === 'COMPLETED' && order.paymentId === paymentId;
  if (reason === 'ORDER_CANCELLED' && !completedBy) throw new OrderStatusConflict(order.orderId, order.status, 'refunded for a cancellation');
  if (reason === 'LATE_PAYMENT' && completedBy) throw new OrderStatusConflict(order.orderId, order.status, 'refunded as a late payment');
  return [{ eventType: 'RefundRequested', payload: { orderId: order.orderId, userId: order.userId, paymentId, reason } }];
}

/** The Order aggregate for the platform's command handler. */
export const orderDecider: Decider<OrderState, OrderCommand, 'Order'> = {
  aggregateType: 'Order',
  initialState: initialOrderState,
  evolve: evolveOrder,
  decide: decideOrder,
};

function assertNever(value: never): never {
  throw new Error(`unhandled order command ${JSON.stringify(value)}`);
}
