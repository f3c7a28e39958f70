import { createCommandHandler } from '@msa/platform';
import { createInMemoryEventStore } from '@msa/platform/testing';
import { requestHash } from '../../src/adapters/postgres/idempotency.js';
import { IdempotencyKeyReused, OrderNotFound, OrderStatusConflict } from '../../src/domain/errors.js';
import { orderDecider } from '../../src/domain/order-decider.js';
import { evolveOrder, initialOrderState, orderStream } from '../../src/domain/order.js';
import { type ListedPrice, priceLines } from '../../src/domain/pricing.js';
import { reactToSaga, type SagaInput, type SagaState, startSaga } from '../../src/domain/saga.js';
import type { OrderCommands, OrderDetail, OrderReads, OrderSummary, PlacedOrder, SagaHistoryStep } from '../../src/ports.js';

const timeouts = { reservationMs: 60_000, paymentMs: 300_000 };

/** The order service's ports with no servers behind them. */
export interface FakeOrderPorts {
  readonly commands: OrderCommands;
  readonly reads: OrderReads;
  /** Lists a product in the price list. */
  list(price: ListedPrice): void;
  /** Hands the saga of `orderId` an outcome, as the saga's consumer would. */
  deliver(orderId: string, input: SagaInput): Promise<void>;
}

/**
 * The write side as the real decider, command handler and process manager on the in-memory event
 * store, with the price list, keys and sagas in maps; the read side follows every command at once.
 */
export function fakeOrderPorts(newId: () => string, clock: () => Date): FakeOrderPorts {
  const store = createInMemoryEventStore();
  const orders = createCommandHandler({ store, decider: orderDecider, clock });
  const prices = new Map<string, ListedPrice>();
  const keys = new Map<string, { readonly hash: string; readonly orderId: string }>();
  const sagas = new Map<string, { state: SagaState; history: SagaHistoryStep[] }>();
  const placedOrder = new Map<string, PlacedOrder>();

  async function detail(orderId: string): Promise<OrderDetail | undefined> {
    const { events, version } = await store.readStream(orderStream(orderId));
    const state = events.reduce((current, event) => (event.aggregateType === 'Order' ? evolveOrder(current, event) : current), initialOrderState());
    if (state.status === 'absent') return undefined;
    return { order: state.order, version, saga: sagas.get(orderId) };
  }

  async function react(orderId: string, input: SagaInput, causationId: string) {
    const saga = sagas.get(orderId);
    if (saga === undefined) return undefined;
    const now = clock();
    const reaction = reactToSaga(saga.state, input, { now, timeouts });
    if (reaction.type !== 'step') return reaction;
    const eventIds: string[] = [];
    for (const command of reaction.commands) {
      const { events } = await orders(orderStream(orderId), command, { causationId, now });
      eventIds.push(...events.map((event) => event.eventId));
    }
    saga.state = reaction.next;
    saga.history.push({ step: reaction.step, at: now.toISOString(), eventIds });
    return reaction;
  }

  const commands: OrderCommands = {
    async place({ userId, items, payment, idempotencyKey }, context) {
      const key = idempotencyKey === undefined ? undefined : `${userId}:${idempotencyKey}`;
      const hash = requestHash({ items, payment });
      const used = key === undefined ? undefined : keys.get(key);
      if (used !== undefined && idempotencyKey !== undefined) {
        if (used.hash !== hash) throw new IdempotencyKeyReused(idempotencyKey);
        const first = placedOrder.get(used.orderId);
        if (first === undefined) throw new OrderNotFound(used.orderId);
        return { ...first, replayed: true };
      }
      const [line, ...rest] = priceLines(items, prices);
      if (line === undefined) throw new Error('an order has at least one line');
      const orderId = newId();
      const { state, events } = await orders(orderStream(orderId), { type: 'PlaceOrder', data: { orderId, userId, items: [line, ...rest], payment } }, context);
      if (state.status === 'absent') throw new OrderNotFound(orderId);
      const at = (context.now ?? clock()).toISOString();
      sagas.set(orderId, { state: startSaga(orderId, { now: context.now ?? clock(), timeouts }), history: [{ step: 'ORDER_PLACED', at, eventIds: events.map((e) => e.eventId) }] });
      const placed = { order: state.order, version: 1, replayed: false };
      placedOrder.set(orderId, placed);
      if (key !== undefined) keys.set(key, { hash, orderId });
      return placed;
    },
    async cancel(orderId, { causationId }) {
      const reaction = await react(orderId, { eventType: 'CancelRequested' }, causationId ?? orderId);
      if (reaction === undefined) throw new OrderNotFound(orderId);
      if (reaction.type === 'refuse') throw new OrderStatusConflict(orderId, 'CANCELLED', 'cancelled');
    },
  };

  const reads: OrderReads = {
    order: detail,
    async list({ userId, limit, after }) {
      const all: OrderSummary[] = [];
      for (const orderId of sagas.keys()) {
        const found = await detail(orderId);
        if (found !== undefined && (userId === undefined || found.order.userId === userId)) all.push({ order: found.order, version: found.version });
      }
      const newestFirst = all.sort((a, b) => (a.order.createdAt === b.order.createdAt ? (a.order.orderId < b.order.orderId ? 1 : -1) : a.order.createdAt < b.order.createdAt ? 1 : -1));
      const start = after === undefined ? 0 : newestFirst.findIndex(({ order }) => order.orderId === after.orderId) + 1;
      const page = newestFirst.slice(start, start + limit);
      const last = page.at(-1);
      const more = newestFirst.length > start + limit;
      return { items: page, next: more && last !== undefined ? { createdAt: last.order.createdAt, orderId: last.order.orderId } : undefined };
    },
  };

  return {
    commands,
    reads,
    list: (price) => prices.set(price.productId, price),
    async deliver(orderId, input) {
      await react(orderId, input, 'spec');
    },
  };
}
