import { examples, type Check, type StoredEvent } from './check.js';
import type { OrderOutcome } from './sagas.js';

interface Line {
  readonly productId: string;
  readonly quantity: number;
}

interface Ledger {
  received: number;
  available: number;
  reserved: number;
  sold: number;
  lowestAvailable: number;
  lowestReserved: number;
  /** Times a StockReceived's own `available` differed from the replay's. */
  disagreements: number;
}

/**
 * Replays the inventory store's events of the run's products in the relay's order: received units
 * are available; a successful reservation moves its lines to reserved; a commit moves them to sold;
 * a release gives them back, from sold when `fromSold`. Then, per product: sold + reserved +
 * available = received, nothing is left reserved once every order ended, sold is what the completed
 * orders bought, and available never went below zero on the way.
 */
export function checkStock(events: readonly StoredEvent[], productIds: readonly string[], orders: ReadonlyMap<string, OrderOutcome>): Check[] {
  const ledgers = new Map<string, Ledger>(
    productIds.map((id) => [id, { received: 0, available: 0, reserved: 0, sold: 0, lowestAvailable: 0, lowestReserved: 0, disagreements: 0 }]),
  );
  const successes = new Map<string, number>();
  const move = (lines: unknown, apply: (ledger: Ledger, units: number) => void): void => {
    for (const line of (lines ?? []) as Line[]) {
      const ledger = ledgers.get(line.productId);
      if (ledger === undefined) continue;
      apply(ledger, line.quantity);
      ledger.lowestAvailable = Math.min(ledger.lowestAvailable, ledger.available);
      ledger.lowestReserved = Math.min(ledger.lowestReserved, ledger.reserved);
    }
  };
  for (const event of events) {
    if (event.service !== 'inventory') continue;
    const { payload } = event;
    switch (event.eventType) {
      case 'StockReceived': {
        const ledger = ledgers.get(String(payload.productId));
        if (ledger === undefined) break;
        ledger.received += Number(payload.quantity);
        ledger.available += Number(payload.quantity);
        if (ledger.available !== Number(payload.available)) ledger.disagreements += 1;
        break;
      }
      case 'InventoryReserved':
        if (payload.status !== 'SUCCESS') break;
        successes.set(String(payload.orderId), (successes.get(String(payload.orderId)) ?? 0) + 1);
        move(payload.items, (ledger, units) => {
          ledger.available -= units;
          ledger.reserved += units;
        });
        break;
      case 'StockCommitted':
        move(payload.items, (ledger, units) => {
          ledger.reserved -= units;
          ledger.sold += units;
        });
        break;
      case 'StockReleased':
        move(payload.items, (ledger, units) => {
          if (payload.fromSold === true) ledger.sold -= units;
          else ledger.reserved -= units;
          ledger.available += units;
        });
        break;
      default:
        break;
    }
  }
  const bought = new Map<string, number>();
  for (const order of orders.values()) {
    if (order.completed === 0) continue;
    for (const line of order.items) bought.set(line.productId, (bought.get(line.productId) ?? 0) + line.quantity);
  }
  const all = [...ledgers];
  const unbalanced = all.filter(([, l]) => l.sold + l.reserved + l.available !== l.received || l.disagreements > 0).map(([id]) => id);
  const leftReserved = all.filter(([, l]) => l.reserved !== 0).map(([id]) => id);
  const missold = all.filter(([id, l]) => l.sold !== (bought.get(id) ?? 0)).map(([id]) => id);
  const negative = all.filter(([, l]) => l.lowestAvailable < 0 || l.lowestReserved < 0).map(([id]) => id);
  const doubleHeld = [...successes].filter(([, count]) => count > 1).map(([id]) => id);
  const sum = (pick: (ledger: Ledger) => number) => all.reduce((total, [, ledger]) => total + pick(ledger), 0);
  return [
    {
      name: 'per product, sold + reserved + available = received',
      held: unbalanced.length === 0,
      detail: `${productIds.length} products: ${sum((l) => l.received)} received = ${sum((l) => l.sold)} sold + ${sum((l) => l.reserved)} reserved + ${sum((l) => l.available)} available; ${unbalanced.length} off${examples(unbalanced)}`,
    },
    {
      name: 'nothing left reserved, sold = units of completed orders',
      held: leftReserved.length === 0 && missold.length === 0,
      detail: `${leftReserved.length} products still reserved, ${missold.length} whose sold differs from the completed orders' ${[...bought.values()].reduce((a, b) => a + b, 0)} units${examples([...leftReserved, ...missold])}`,
    },
    {
      name: 'available (and reserved) never below zero in the history',
      held: negative.length === 0,
      detail: `lowest available ${Math.min(...all.map(([, l]) => l.lowestAvailable))}, ${negative.length} products below zero${examples(negative)}`,
    },
    {
      name: 'at most one successful reservation per order',
      held: doubleHeld.length === 0,
      detail: `${successes.size} orders held stock, ${doubleHeld.length} more than once${examples(doubleHeld)}`,
    },
  ];
}
