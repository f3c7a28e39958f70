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

/** The first key of the products' advisory locks (`INVS`); the second is `hashtext` of the product id. */
const STOCK_LOCK_CLASS = 0x49_4e_56_53;
/** The first key of the orders' advisory locks (`INVR`); the second is `hashtext` of the reservation stream. */
const ORDER_LOCK_CLASS = 0x49_4e_56_52;

/**
 * Takes the order's advisory lock for the rest of the transaction: the handlers of one order's
 * events take turns. Taken before any product's lock, and at most one per transaction.
 */
export async function lockOrder(client: pg.ClientBase, streamId: string): Promise<void> {
  await client.query('select pg_advisory_xact_lock($1, hashtext($2))', [ORDER_LOCK_CLASS, streamId]);
}

/**
 * Locks the stock of `productIds` for the rest of the transaction and returns the rows that exist.
 * First each product's advisory lock, in the order of their keys, which takes no transaction id;
 * then the rows, `for update` in product-id order, which then never wait, since every writer of a
 * row holds its product's advisory lock. Every writer locks in these orders, so two orders sharing
 * products wait for each other instead of deadlocking. The transaction's first write, and so its id,
 * comes only once every lock is held: for each product, transaction ids follow the order the locks
 * let the moves be applied in, which is the order the global log and the outbox read (see DESIGN.md).
 * Under READ COMMITTED the rows are read as the previous holder committed them.
 */
export async function lockStock(client: pg.ClientBase, productIds: readonly string[]): Promise<Map<string, StockRecord>> {
  if (productIds.length === 0) return new Map();
  // The subquery's order, fenced by `offset 0`, is the order the locks are taken in.
  await client.query(
    `select count(pg_advisory_xact_lock($1, key))
       from (select distinct hashtext(id::text) as key from unnest($2::uuid[]) as id order by key offset 0) as keys`,
    [STOCK_LOCK_CLASS, productIds],
  );
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
