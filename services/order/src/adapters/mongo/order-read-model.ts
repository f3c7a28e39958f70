import type { Money, OrderCancelled, OrderCompleted, OrderConfirmed, OrderCreated, PaymentMethod } from '@msa/contracts';
import type { ReadModelDefinition } from '@msa/platform';
import type { Cancellation, OrderLine, OrderStatus } from '../../domain/order.js';

/** One order in the read model, as of stream version `version`; never the payment token. */
export interface OrderDocument {
  /** The order id. */
  readonly _id: string;
  readonly version: number;
  readonly userId: string;
  readonly status: OrderStatus;
  readonly items: readonly OrderLine[];
  readonly total: Money;
  readonly payment?: { readonly method: PaymentMethod } | undefined;
  readonly cancellation?: Cancellation | undefined;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/**
 * The events the read model is built from. The order stream also holds the saga's
 * StockReleaseRequested and RefundRequested, which change nothing a listing shows; the version guard
 * lets the next handled event skip over them.
 */
export type OrderDocumentEvent = OrderCreated | OrderConfirmed | OrderCancelled | OrderCompleted;

/** The `orders` read model: one document per order, listed newest first per user (and for admins, overall). */
export const orderReadModel: ReadModelDefinition<OrderDocument, OrderDocumentEvent> = {
  name: 'orders',
  handles: ['OrderCreated', 'OrderConfirmed', 'OrderCancelled', 'OrderCompleted'],
  indexes: [
    { name: 'by_user_newest', key: { userId: 1, createdAt: -1, _id: -1 } },
    { name: 'by_newest', key: { createdAt: -1, _id: -1 } },
  ],
  evolve(order, event) {
    const at = new Date(event.occurredAt);
    if (event.eventType === 'OrderCreated') {
      const { userId, items, total, payment } = event.payload;
      return { userId, status: 'CREATED', items, total, ...(payment === undefined ? {} : { payment: { method: payment.method } }), createdAt: at, updatedAt: at };
    }
    if (order === undefined) return undefined;
    switch (event.eventType) {
      case 'OrderConfirmed':
        return { ...order, status: 'CONFIRMED', updatedAt: at };
      case 'OrderCompleted':
        return { ...order, status: 'COMPLETED', updatedAt: at };
      case 'OrderCancelled': {
        const { reason, detail } = event.payload;
        return { ...order, status: 'CANCELLED', cancellation: { reason, ...(detail === undefined ? {} : { detail }) }, updatedAt: at };
      }
      default:
        return assertNever(event);
    }
  },
};

function assertNever(value: never): never {
  throw new Error(`unhandled order read model event ${JSON.stringify(value)}`);
}
