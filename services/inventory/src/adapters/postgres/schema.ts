import type { Migration } from '@msa/platform';

/**
 * One row per product: its stock level, the fold of every event that moved its units (its Stock
 * stream's and the reservation lines naming it). It is written only in the transactions that append
 * those events, under the row's lock, so it cannot drift from them; the checks are the database's own
 * guard that available, reserved and sold never go below zero. `stream_version` is the version of the
 * product's Stock stream, the expected version of its next append; `version` counts the row's changes.
 */
const stock = `
create table inventory_stock (
  product_id uuid primary key,
  available integer not null default 0 check (available >= 0),
  reserved integer not null default 0 check (reserved >= 0),
  sold integer not null default 0 check (sold >= 0),
  received integer not null default 0 check (received >= 0),
  alerted_at integer check (alerted_at >= 0),
  stream_version integer not null default 0 check (stream_version >= 0),
  version integer not null default 1 check (version >= 1),
  opened_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
`;

/** The inventory service's migrations, applied after the platform's own. */
export const inventoryMigrations: readonly Migration[] = [{ id: 'inventory/001-stock', sql: stock }];
