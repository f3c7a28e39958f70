import type pg from 'pg';
import type { StockState } from '../../domain/stock.js';

/** A product's stock row: its level, its Stock stream's version and the row's own change count. */
export interface StockRecord {
  readonly productId: string;
  readonly state: StockState;
  readonly streamVersion: number;
  readonly version: number;
}

interface StockRow {
  readonly product_id: string;
  readonly available: number;
  readonly reserved: number;
  readonly sold: number;
  readonly received: number;
  readonly alerted_at: number | null;
  readonly stream_version: number;
  readonly version: number;
}

const COLUMNS = 'product_id, available, reserved, sold, received, alerted_at, stream_version, version';

function recordOf(row: StockRow): StockRecord {
  const { product_id, available, reserved, sold, received, alerted_at, stream_version, version } = row;
  return { productId: product_id, state: { available, reserved, sold, received, alertedAt: alerted_at }, streamVersion: stream_version, version };
}

/**
 * Locks the stock rows of `productIds` for the rest of the transaction, in product-id order, and
 * returns those that exist. Every writer locks in this one order, so two orders sharing products
 * wait for each other instead of deadlocking; under READ COMMITTED a row that was waited for is read
 * as its locker committed it.
 */
export async function lockStock(client: pg.ClientBase, productIds: readonly string[]): Promise<Map<string, StockRecord>> {
  if (productIds.length === 0) return new Map();
  const { rows } = await client.query<StockRow>(
    `select ${COLUMNS} from inventory_stock where product_id = any($1::uuid[]) order by product_id for update`,
    [productIds],
  );
  return new Map(rows.map((row) => [row.product_id, recordOf(row)]));
}

/** Opens a product's stock record with no units; one that exists is left as it is. */
export async function openStock(client: pg.ClientBase, productId: string): Promise<void> {
  await client.query('insert into inventory_stock (product_id) values ($1) on conflict (product_id) do nothing', [productId]);
}

/** Writes a locked record's new level and Stock stream version, counting the change; returns the row as written. */
export async function saveStock(client: pg.ClientBase, record: StockRecord): Promise<StockRecord> {
  const { available, reserved, sold, received, alertedAt } = record.state;
  const { rows } = await client.query<StockRow>(
    `update inventory_stock
        set available = $2, reserved = $3, sold = $4, received = $5, alerted_at = $6, stream_version = $7,
            version = version + 1, updated_at = now()
      where product_id = $1
  returning ${COLUMNS}`,
    [record.productId, available, reserved, sold, received, alertedAt, record.streamVersion],
  );
  const [row] = rows;
  if (row === undefined) throw new Error(`stock row of product ${record.productId} vanished under its lock`);
  return recordOf(row);
}

/** Reads stock rows without locking, by product id. */
export async function readStock(client: pg.Pool | pg.ClientBase, productIds: readonly string[]): Promise<StockRecord[]> {
  if (productIds.length === 0) return [];
  const { rows } = await client.query<StockRow>(`select ${COLUMNS} from inventory_stock where product_id = any($1::uuid[]) order by product_id`, [
    productIds,
  ]);
  return rows.map(recordOf);
}
