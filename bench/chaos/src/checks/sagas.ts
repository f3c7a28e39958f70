import { examples, type Check, type StoredEvent } from './check.js';

/** How each order of the run ended, from the order store: its lines, and its terminal events. */
export interface OrderOutcome {
  readonly items: readonly { readonly productId: string; readonly quantity: number }[];
  completed: number;
  cancelled: number;
}

export function orderOutcomes(events: readonly StoredEvent[]): Map<string, OrderOutcome> {
  const orders = new Map<string, OrderOutcome>();
  for (const event of events) {
    if (event.service !== 'order') continue;
    if (event.eventType === 'OrderCreated') {
      orders.set(event.aggregateId, { items: (event.payload.items ?? []) as OrderOutcome['items'], completed: 0, cancelled: 0 });
    }
    const order = orders.get(event.aggregateId);
    if (order === undefined) continue;
    if (event.eventType === 'OrderCompleted') order.completed += 1;
    if (event.eventType === 'OrderCancelled') order.cancelled += 1;
  }
  return orders;
}

/** Every order the driver saw accepted is in the order store, and every order of the run ended exactly once. */
export function checkOrders(orders: ReadonlyMap<string, OrderOutcome>, accepted: readonly string[]): Check[] {
  const missing = accepted.filter((orderId) => !orders.has(orderId));
  const open = [...orders].filter(([, order]) => order.completed + order.cancelled === 0).map(([id]) => id);
  const twice = [...orders].filter(([, order]) => order.completed + order.cancelled > 1).map(([id]) => id);
  const completed = [...orders.values()].filter((order) => order.completed > 0).length;
  const cancelled = [...orders.values()].filter((order) => order.cancelled > 0).length;
  return [
    {
      name: 'every accepted order is in the order store',
      held: missing.length === 0,
      detail: `${accepted.length} accepted (201), ${missing.length} missing${examples(missing)}`,
    },
    {
      name: 'every order ended COMPLETED or CANCELLED, once',
      held: open.length === 0 && twice.length === 0,
      detail: `${orders.size} orders: ${completed} completed, ${cancelled} cancelled, ${open.length} unfinished, ${twice.length} ended more than once${examples([...open, ...twice])}`,
    },
  ];
}

/**
 * At most one successful charge per order, a refund only of a charge, and at quiescence the money
 * agrees with the orders: a completed order charged once and not refunded, a cancelled one not
 * charged or refunded.
 */
export function checkPayments(events: readonly StoredEvent[], orders: ReadonlyMap<string, OrderOutcome>): Check[] {
  const charges = new Map<string, number>();
  const refunds = new Map<string, number>();
  for (const event of events) {
    if (event.service !== 'payment') continue;
    const orderId = String(event.payload.orderId);
    if (event.eventType === 'PaymentCompleted') charges.set(orderId, (charges.get(orderId) ?? 0) + 1);
    if (event.eventType === 'PaymentRefunded') refunds.set(orderId, (refunds.get(orderId) ?? 0) + 1);
  }
  const doubled = [...charges].filter(([, count]) => count > 1).map(([id]) => id);
  const unfounded = [...refunds].filter(([id, count]) => count > (charges.get(id) ?? 0)).map(([id]) => id);
  const owed = [...orders].filter(([id, order]) => {
    const kept = (charges.get(id) ?? 0) - (refunds.get(id) ?? 0);
    return order.completed > 0 ? kept !== 1 : kept !== 0;
  });
  return [
    {
      name: 'at most one successful charge per order',
      held: doubled.length === 0,
      detail: `${[...charges.values()].reduce((a, b) => a + b, 0)} charges over ${charges.size} orders, ${doubled.length} orders charged more than once${examples(doubled)}`,
    },
    {
      name: 'a refund only where charged',
      held: unfounded.length === 0,
      detail: `${[...refunds.values()].reduce((a, b) => a + b, 0)} refunds, ${unfounded.length} without a charge${examples(unfounded)}`,
    },
    {
      name: 'completed orders keep one charge, cancelled ones none',
      held: owed.length === 0,
      detail: `${owed.length} of ${orders.size} orders off${examples(owed.map(([id]) => id))}`,
    },
  ];
}
