import type { CommandContext as HandlerContext } from '@msa/platform';
import type { OrderPayment } from '@msa/contracts';
import type { Order } from './domain/order.js';
import type { RequestedLine } from './domain/pricing.js';
import type { SagaState, SagaStep } from './domain/saga.js';

/**
 * The seams between the HTTP adapter and the storage adapters: the HTTP side speaks in these terms,
 * app.ts plugs in the PostgreSQL write side and the MongoDB read model.
 */

/** Where and when a command comes from; the write side brings the transaction. */
export type CommandContext = Omit<HandlerContext, 'tx'>;

/** An order as of a stream version. */
export interface VersionedOrder {
  readonly order: Order;
  readonly version: number;
}

/** A customer's new order, as the request asks for it. */
export interface NewOrder {
  readonly userId: string;
  readonly items: readonly [RequestedLine, ...RequestedLine[]];
  readonly payment: OrderPayment;
  /** The `Idempotency-Key` header: a retry with it answers the first order. */
  readonly idempotencyKey?: string | undefined;
}

/** What placing answered: the order as first placed, and whether an earlier request with the key placed it. */
export interface PlacedOrder extends VersionedOrder {
  readonly replayed: boolean;
}

/** The order's write side: placing and cancelling. */
export interface OrderCommands {
  /** @throws UnknownProduct, MixedCurrencies, RepeatedProduct; IdempotencyKeyReused when the key came with another request. */
  place(order: NewOrder, context: CommandContext): Promise<PlacedOrder>;
  /** A customer's cancel, through the saga. @throws OrderNotFound; OrderStatusConflict when it is already cancelled. */
  cancel(orderId: string, context: CommandContext): Promise<void>;
}

/** One step of a saga's history, as `GET /api/orders/:id` shows it. */
export interface SagaHistoryStep {
  readonly step: SagaStep;
  /** ISO-8601 UTC. */
  readonly at: string;
  /** The id of the event that caused the step (none for a deadline or a customer's cancel), then those of the order events it appended. */
  readonly eventIds: readonly string[];
  /** The trace the step ran in, when tracing was on. */
  readonly traceId?: string | undefined;
}

/** An order with its saga, as the write side holds it now. */
export interface OrderDetail extends VersionedOrder {
  readonly saga?: { readonly state: SagaState; readonly history: readonly SagaHistoryStep[] } | undefined;
}

/** Where the previous page of a listing ended: the last order's creation time and id. */
export interface ListingPosition {
  readonly createdAt: string;
  readonly orderId: string;
}

/** A listing of orders: one user's, or everyone's (admins), newest first. */
export interface OrderListing {
  readonly userId?: string | undefined;
  readonly limit: number;
  readonly after?: ListingPosition | undefined;
}

/** An order as the read model holds it. */
export interface OrderSummary {
  readonly order: Omit<Order, 'refundsRequested' | 'paymentId' | 'payment'> & { readonly payment?: { readonly method: OrderPayment['method'] } | undefined };
  readonly version: number;
}

/** A page of orders and where the next one starts (none after the last page). */
export interface OrderPage {
  readonly items: readonly OrderSummary[];
  readonly next: ListingPosition | undefined;
}

/** The order's reads: one order from the write side, listings from the read model, which trails it by moments. */
export interface OrderReads {
  order(orderId: string): Promise<OrderDetail | undefined>;
  list(listing: OrderListing): Promise<OrderPage>;
}
