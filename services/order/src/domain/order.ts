import type {
  Money,
  OrderCancellationReason,
  OrderCancelled,
  OrderCompleted,
  OrderConfirmed,
  OrderCreated,
  OrderPayment,
  RefundRequested,
  StockReleaseRequested,
} from '@msa/contracts';

/** The Order aggregate's events, as the contracts define them: its lifecycle and the saga's requests. */
export type OrderEvent = OrderCreated | OrderConfirmed | OrderCancelled | OrderCompleted | StockReleaseRequested | RefundRequested;

/** The event stream of one order. */
export function orderStream(orderId: string): string {
  return `order-${orderId}`;
}

/** One line of an order, at the price it was placed at. */
export interface OrderLine {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPrice: Money;
}

/** Where an order is in its life, as customers see it. */
export type OrderStatus = 'CREATED' | 'CONFIRMED' | 'COMPLETED' | 'CANCELLED';

/** Why an order was cancelled, and more for people. */
export interface Cancellation {
  readonly reason: OrderCancellationReason;
  readonly detail?: string | undefined;
}

/** An order as its history defines it. */
export interface Order {
  readonly orderId: string;
  readonly userId: string;
  readonly items: readonly OrderLine[];
  readonly total: Money;
  /** Absent only on v1 orders, which were paid outside the platform. */
  readonly payment?: OrderPayment | undefined;
  readonly status: OrderStatus;
  /** The charge that completed the order. */
  readonly paymentId?: string | undefined;
  readonly cancellation?: Cancellation | undefined;
  /** The charges a refund was asked for, at most once each. */
  readonly refundsRequested: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The Order aggregate: none on this stream yet, or one placed. */
export type OrderState = { readonly status: 'absent' } | { readonly status: 'placed'; readonly order: Order };

/** The state of a stream with no events. */
export const initialOrderState = (): OrderState => ({ status: 'absent' });

/** Applies one event to the state; events are facts, so it never rejects. */
export function evolveOrder(state: OrderState, event: OrderEvent): OrderState {
  if (event.eventType === 'OrderCreated') {
    const { orderId, userId, items, total, payment } = event.payload;
    const order: Order = { orderId, userId, items, total, payment, status: 'CREATED', refundsRequested: [], createdAt: event.occurredAt, updatedAt: event.occurredAt };
    return { status: 'placed', order };
  }
  if (state.status === 'absent') return state;
  const order = { ...state.order, updatedAt: event.occurredAt };
  switch (event.eventType) {
    case 'OrderConfirmed':
      return { status: 'placed', order: { ...order, status: 'CONFIRMED' } };
    case 'OrderCompleted':
      return { status: 'placed', order: { ...order, status: 'COMPLETED', paymentId: event.payload.paymentId } };
    case 'OrderCancelled': {
      const { reason, detail } = event.payload;
      return { status: 'placed', order: { ...order, status: 'CANCELLED', cancellation: { reason, ...(detail === undefined ? {} : { detail }) } } };
    }
    case 'RefundRequested':
      return { status: 'placed', order: { ...order, refundsRequested: [...order.refundsRequested, event.payload.paymentId] } };
    case 'StockReleaseRequested':
      return { status: 'placed', order };
    default:
      return assertNever(event);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled order event ${JSON.stringify(value)}`);
}
