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

/**
 * Replays the service's whole event store in position order (the order the appends were made in,
 * which the stock rows' locks make the order they were applied in for each product), adding restocks
 * and releases to available and taking successful reservations from it; a sale moves nothing out of
 * available. Written apart from the service's own fold, so it checks that fold rather than repeating it.
 */
export async function availableHistory(pool: pg.Pool): Promise<AvailableHistory> {
  const { rows } = await pool.query<EventRow>('select event_type, payload from events order by position');
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
