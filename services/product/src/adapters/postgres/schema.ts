import type { Migration } from '@msa/platform';

/**
 * The write side's own table beside the event store: one row per product claiming its SKU. `sku_key`
 * (the lower-cased SKU) is the primary key, so the database itself settles concurrent creations of
 * one SKU: the row is inserted in the transaction that appends `ProductCreated`, and the second
 * insert waits on the index for the first transaction and fails when it commits, rolling its append
 * back with it. SKUs never change, so a row is never updated.
 */
const skus = `
create table product_skus (
  sku_key text not null,
  product_id uuid not null unique,
  claimed_at timestamptz not null default now(),
  constraint product_skus_sku_key primary key (sku_key)
);
`;

/** The product service's migrations, applied after the platform's own. */
export const productMigrations: readonly Migration[] = [{ id: 'product/001-skus', sql: skus }];

/** The constraint whose violation means the SKU belongs to another product. */
export const SKU_UNIQUE_CONSTRAINT = 'product_skus_sku_key';
