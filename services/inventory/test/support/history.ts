import type pg from 'pg';

interface Line {
  readonly productId: string;
  readonly quantity: number;
}

interface EventRow {
  readonly event_type: string;
  readonly payload: { readonly status?: string; readonly items?: readonly Line[]; readonly productId?: string; readonly quantity?: number };
}

/** Each product's available units after every event that moved them, recomputed from the event store alone. */
export interface AvailableHistory {
  /** The lowest available count each product ever had. */
  readonly lowest: ReadonlyMap<string, number>;
  /** Each product's available count after the last event. */
  readonly final: ReadonlyMap<string, number>;
}

/** How a replay orders the store: by `position`, or as the global log and the outbox do, by transaction id first. */
export type HistoryOrder = 'position' | 'transaction';

const ORDER_BY: Readonly<Record<HistoryOrder, string>> = { position: 'position', transaction: 'transaction_id, position' };

/**
 * Replays the service's whole event store in `order` (by position, the order the appends were made
 * in, which the stock locks make the order they were applied in for each product; or by transaction
 * id, as `readAll` and the outbox relay read it), adding restocks and releases to available and
 * taking successful reservations from it; a sale moves nothing out of available. Written apart from
 * the service's own fold, so it checks that fold rather than repeating it.
 */
export async function availableHistory(pool: pg.Pool, order: HistoryOrder = 'position'): Promise<AvailableHistory> {
  const { rows } = await pool.query<EventRow>(`select event_type, payload from events order by ${ORDER_BY[order]}`);
  const available = new Map<string, number>();
  const lowest = new Map<string, number>();
  const move = (productId: string, delta: number) => {
    const next = (available.get(productId) ?? 0) + delta;
    available.set(productId, next);
    lowest.set(productId, Math.min(lowest.get(productId) ?? 0, next));
  };
  for (const { event_type: type, payload } of rows) {
    if (type === 'StockReceived' && payload.productId !== undefined && payload.quantity !== undefined) move(payload.productId, payload.quantity);
    if (type === 'InventoryReserved' && payload.status === 'SUCCESS') for (const line of payload.items ?? []) move(line.productId, -line.quantity);
    if (type === 'StockReleased') for (const line of payload.items ?? []) move(line.productId, line.quantity);
  }
  return { lowest, final: available };
}

/**
 * Each product's unit-moving events, by id, in `order`: the same lists in both orders mean the global
 * log (and so the outbox) sees every product's moves in the order they were applied.
 */
export async function movesByProduct(pool: pg.Pool, order: HistoryOrder): Promise<Map<string, string[]>> {
  const { rows } = await pool.query<EventRow & { readonly event_id: string }>(
    `select event_id, event_type, payload from events
      where event_type in ('StockReceived', 'InventoryReserved', 'StockReleased', 'StockCommitted')
      order by ${ORDER_BY[order]}`,
  );
  const moves = new Map<string, string[]>();
  for (const { event_id: id, event_type: type, payload } of rows) {
    const products = type === 'StockReceived' ? [payload.productId ?? ''] : (payload.items ?? []).map((line) => line.productId);
    for (const productId of products) moves.set(productId, [...(moves.get(productId) ?? []), id]);
  }
  return moves;
}
