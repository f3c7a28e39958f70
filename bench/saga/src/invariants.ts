import type pg from 'pg';
import { call, type PlacedOrder, type ServicePools, type Shop } from '@msa/bench-kit';

/** A product's stock as the inventory service serves it. */
interface StockView {
  readonly productId: string;
  readonly available: number;
  readonly reserved: number;
  readonly sold: number;
  readonly received: number;
}

/**
 * Each product's lowest available units over the inventory event store's history, in the order
 * the store recorded the events (row locks make that the order they were applied in): received
 * units add, a successful reservation takes its lines, a release gives them back.
 */
export async function lowestAvailable(inventory: pg.Pool, productIds: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await inventory.query<{ event_type: string; payload: { productId?: string; quantity?: number; status?: string; items?: { productId: string; quantity: number }[] } }>(
    `select event_type, payload from events
      where (event_type = 'StockReceived' and payload->>'productId' = any($1))
         or (event_type in ('InventoryReserved', 'StockReleased')
             and exists (select 1 from jsonb_array_elements(payload->'items') line where line->>'productId' = any($1)))
      order by position`,
    [productIds],
  );
  const available = new Map(productIds.map((id) => [id, 0]));
  const lowest = new Map(productIds.map((id) => [id, 0]));
  const move = (productId: string, units: number): void => {
    if (!available.has(productId)) return;
    const now = (available.get(productId) ?? 0) + units;
    available.set(productId, now);
    lowest.set(productId, Math.min(lowest.get(productId) ?? 0, now));
  };
  for (const { event_type: type, payload } of rows) {
    if (type === 'StockReceived') move(payload.productId ?? '', payload.quantity ?? 0);
    else if (type === 'InventoryReserved' && payload.status === 'SUCCESS') for (const line of payload.items ?? []) move(line.productId, -line.quantity);
    else if (type === 'StockReleased') for (const line of payload.items ?? []) move(line.productId, line.quantity);
  }
  return lowest;
}

/** One invariant and whether the run kept it. */
export interface InvariantCheck {
  readonly name: string;
  readonly held: boolean;
  readonly detail: string;
}

/**
 * The saga's invariants over every order the run placed, after they ended: each reached a terminal
 * state; stock moved from available to sold for exactly the completed orders and nothing is left
 * reserved; available never went below zero in the inventory's history; each completed order was
 * charged exactly once and no cancelled one was charged.
 */
export async function checkInvariants(inventoryUrl: string, shop: Shop, pools: ServicePools, orders: readonly PlacedOrder[]): Promise<InvariantCheck[]> {
  const checks: InvariantCheck[] = [];
  const unfinished = orders.filter((order) => order.status === 'UNFINISHED').length;
  checks.push({ name: 'every order reached a terminal state', held: unfinished === 0, detail: `${orders.length} orders, ${unfinished} unfinished` });

  const answer = await call(`${inventoryUrl}/api/inventory?productIds=${shop.productIds.join(',')}`, { bearer: shop.admin });
  const listed = (Array.isArray(answer.body) ? answer.body : (answer.body as { items?: unknown[] } | undefined)?.items ?? []) as StockView[];
  const sold = new Map<string, number>();
  for (const order of orders) if (order.status === 'COMPLETED') sold.set(order.productId, (sold.get(order.productId) ?? 0) + 1);
  const wrong = shop.productIds.filter((id) => {
    const stock = listed.find((view) => view.productId === id);
    return stock?.reserved !== 0 || stock.available + stock.sold !== stock.received || stock.sold !== (sold.get(id) ?? 0);
  });
  checks.push({
    name: 'stock moved from available to sold, nothing left reserved',
    held: answer.status === 200 && wrong.length === 0,
    detail: answer.status === 200 ? `${shop.productIds.length - wrong.length}/${shop.productIds.length} products balance` : `inventory answered ${answer.status}`,
  });

  const lowest = await lowestAvailable(pools.inventory, shop.productIds);
  const negative = [...lowest.values()].filter((units) => units < 0).length;
  checks.push({ name: 'available never below zero in the event history', held: negative === 0, detail: `lowest ${Math.min(...lowest.values())} units` });

  const { rows } = await pools.payment.query<{ order_id: string; charges: number }>(
    `select payload->>'orderId' as order_id, count(*)::int as charges from events
      where event_type = 'PaymentCompleted' and payload->>'orderId' = any($1) group by 1`,
    [orders.map((order) => order.orderId)],
  );
  const charges = new Map(rows.map((row) => [row.order_id, row.charges]));
  const badCharges = orders.filter((order) => (charges.get(order.orderId) ?? 0) !== (order.status === 'COMPLETED' ? 1 : 0)).length;
  checks.push({ name: 'one successful charge per completed order, none for the rest', held: badCharges === 0, detail: `${badCharges} orders off` });
  return checks;
}
