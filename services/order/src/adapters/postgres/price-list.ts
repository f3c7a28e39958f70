import type { Currency, ProductCreated, ProductUpdated } from '@msa/contracts';
import type pg from 'pg';
import type { ListedPrice } from '../../domain/pricing.js';

/**
 * Applies a ProductCreated. Its fields are the product's first ones, so each fills in only a column
 * an update that overtook it (it travels on another topic) has left empty; the version is the newer.
 */
export async function listProductCreated(client: pg.ClientBase, { payload, version }: ProductCreated): Promise<void> {
  await client.query(
    `insert into order_price_list (product_id, amount_minor, currency, active, version) values ($1, $2, $3, $4, $5)
     on conflict (product_id) do update set
       amount_minor = coalesce(order_price_list.amount_minor, excluded.amount_minor),
       currency = coalesce(order_price_list.currency, excluded.currency),
       active = coalesce(order_price_list.active, excluded.active),
       version = greatest(order_price_list.version, excluded.version),
       updated_at = now()`,
    [payload.productId, payload.price.amountMinor, payload.price.currency, payload.active, version],
  );
}

/**
 * Applies a ProductUpdated newer than the row: its price and its active flag when it carries them.
 * An older one (a redelivery of an event already overtaken) changes nothing.
 */
export async function listProductUpdated(client: pg.ClientBase, { payload, version }: ProductUpdated): Promise<void> {
  const price = payload.price?.to;
  await client.query(
    `insert into order_price_list (product_id, amount_minor, currency, active, version) values ($1, $2, $3, $4, $5)
     on conflict (product_id) do update set
       amount_minor = coalesce(excluded.amount_minor, order_price_list.amount_minor),
       currency = coalesce(excluded.currency, order_price_list.currency),
       active = coalesce(excluded.active, order_price_list.active),
       version = excluded.version,
       updated_at = now()
     where order_price_list.version < excluded.version`,
    [payload.productId, price?.amountMinor ?? null, price?.currency ?? null, payload.active ?? null, version],
  );
}

interface PriceRow {
  readonly product_id: string;
  readonly amount_minor: string | null;
  readonly currency: Currency | null;
  readonly active: boolean | null;
}

/** The listed prices of `productIds`; a product whose creation has not been applied yet is not listed. */
export async function listedPrices(client: pg.ClientBase, productIds: readonly string[]): Promise<Map<string, ListedPrice>> {
  const { rows } = await client.query<PriceRow>(
    'select product_id, amount_minor, currency, active from order_price_list where product_id = any($1::uuid[])',
    [productIds],
  );
  const listed = new Map<string, ListedPrice>();
  for (const { product_id: productId, amount_minor: amount, currency, active } of rows) {
    if (amount === null || currency === null || active === null) continue;
    listed.set(productId, { productId, price: { amountMinor: Number(amount), currency }, active });
  }
  return listed;
}
