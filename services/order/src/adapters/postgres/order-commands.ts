import { type CommandHandler, type EventStore, activeTraceId, withTransaction } from '@msa/platform';
import type pg from 'pg';
import { IdempotencyKeyReused, OrderNotFound, OrderStatusConflict } from '../../domain/errors.js';
import type { OrderCommand } from '../../domain/order-decider.js';
import { evolveOrder, initialOrderState, orderStream, type OrderState } from '../../domain/order.js';
import { priceLines } from '../../domain/pricing.js';
import { startSaga, type SagaTimeouts } from '../../domain/saga.js';
import type { OrderCommands, PlacedOrder } from '../../ports.js';
import type { SagaMetrics } from '../saga/metrics.js';
import type { SagaShell } from '../saga/saga-shell.js';
import { claimIdempotencyKey, requestHash } from './idempotency.js';
import { listedPrices } from './price-list.js';
import { insertSaga } from './sagas.js';

/** Options for `createOrderCommands`. */
export interface OrderCommandsOptions {
  readonly pool: pg.Pool;
  readonly store: EventStore;
  readonly orders: CommandHandler<OrderState, OrderCommand, 'Order'>;
  readonly shell: SagaShell;
  readonly timeouts: SagaTimeouts;
  readonly newId: () => string;
  readonly metrics: SagaMetrics;
}

/**
 * The write side on PostgreSQL. Placing an order claims its Idempotency-Key, prices the lines from
 * the price list, appends OrderCreated and starts the saga with its reservation deadline, all in
 * one transaction: an order exists with its saga and its key, or not at all.
 */
export function createOrderCommands({ pool, store, orders, shell, timeouts, newId, metrics }: OrderCommandsOptions): OrderCommands {
  /** The order as its first event made it: what the first response showed. */
  async function firstPlaced(orderId: string): Promise<PlacedOrder> {
    const [first] = (await store.readStream(orderStream(orderId))).events;
    const state = first?.aggregateType === 'Order' ? evolveOrder(initialOrderState(), first) : initialOrderState();
    if (state.status === 'absent') throw new OrderNotFound(orderId);
    return { order: state.order, version: 1, replayed: true };
  }

  return {
    async place({ userId, items, payment, idempotencyKey }, context) {
      const orderId = newId();
      const placed = await withTransaction(pool, async (tx): Promise<PlacedOrder | string> => {
        if (idempotencyKey !== undefined) {
          const hash = requestHash({ items, payment });
          const claim = await claimIdempotencyKey(tx.client, userId, idempotencyKey, hash, orderId);
          if (claim.status === 'used') {
            if (claim.requestHash !== hash) throw new IdempotencyKeyReused(idempotencyKey);
            return claim.orderId;
          }
        }
        const [first, ...rest] = priceLines(items, await listedPrices(tx.client, items.map((line) => line.productId)));
        if (first === undefined) throw new Error('an order has at least one line');
        const now = context.now ?? new Date();
        const { state, events } = await orders(orderStream(orderId), { type: 'PlaceOrder', data: { orderId, userId, items: [first, ...rest], payment } }, { ...context, tx, now });
        if (state.status === 'absent') throw new OrderNotFound(orderId);
        const traceId = activeTraceId();
        const saga = startSaga(orderId, { now, timeouts });
        await insertSaga(tx.client, saga, context.correlationId ?? orderId, {
          step: 'ORDER_PLACED',
          at: now.toISOString(),
          eventIds: events.map((event) => event.eventId),
          ...(traceId === undefined ? {} : { traceId }),
        });
        tx.afterCommit(() => {
          metrics.stepped('ORDER_PLACED', undefined, saga);
        });
        return { order: state.order, version: 1, replayed: false };
      });
      return typeof placed === 'string' ? firstPlaced(placed) : placed;
    },

    async cancel(orderId, { causationId }) {
      await withTransaction(pool, async (tx) => {
        const reaction = await shell.react(tx, orderId, { eventType: 'CancelRequested' }, { causationId: causationId ?? orderId });
        if (reaction === undefined) throw new OrderNotFound(orderId);
        if (reaction.type === 'refuse') throw new OrderStatusConflict(orderId, 'CANCELLED', 'cancelled');
      });
    },
  };
}
