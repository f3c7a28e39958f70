import type pg from 'pg';

interface Line {
  readonly productId: string;
  readonly quantity: number;
}

/**
 * `productId`'s available units after each event that moved them, from the inventory's event store
 * alone, in the order the store recorded them (for one product, the order its row lock let them be
 * applied in): a restock adds, a successful reservation takes its lines, a release gives them back;
 * a sale moves nothing out of available.
 */
export async function availableOverTime(inventory: pg.Pool, productId: string): Promise<number[]> {
  const { rows } = await inventory.query<{ event_type: string; payload: { status?: string; quantity?: number; items?: Line[] } }>(
    `select event_type, payload from events
      where (event_type = 'StockReceived' and payload->>'productId' = $1)
         or (event_type in ('InventoryReserved', 'StockReleased')
             and exists (select 1 from jsonb_array_elements(payload->'items') line where line->>'productId' = $1))
      order by position`,
    [productId],
  );
  let available = 0;
  const history: number[] = [];
  for (const { event_type: type, payload } of rows) {
    const units = (payload.items ?? []).filter((line) => line.productId === productId).reduce((sum, line) => sum + line.quantity, 0);
    if (type === 'StockReceived') available += payload.quantity ?? 0;
    else if (type === 'InventoryReserved' && payload.status === 'SUCCESS') available -= units;
    else if (type === 'StockReleased') available += units;
    else continue;
    history.push(available);
  }
  return history;
}
