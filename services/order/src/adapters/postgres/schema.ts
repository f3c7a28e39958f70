import type { Migration } from '@msa/platform';

/**
 * The order service's own price list, projected from the catalog's product events. `version` is the
 * product stream's version of the newest event applied; a column is null while only an update that
 * overtook the product's creation (another topic) has been applied and it did not carry that column.
 */
const priceList = `
create table order_price_list (
  product_id uuid primary key,
  amount_minor bigint,
  currency text,
  active boolean,
  version integer not null,
  updated_at timestamptz not null default now()
);
`;

/**
 * One row per order's saga: its state (the process manager's, as JSON), its history of steps and
 * the next time its timer fires. `deadline_at` is the durable timer: a worker claims due rows with
 * `for update skip locked`, so each fires on one replica, and it survives restarts with the row.
 */
const sagas = `
create table order_sagas (
  order_id uuid primary key,
  correlation_id text not null,
  state jsonb not null,
  history jsonb not null default '[]'::jsonb,
  deadline_at timestamptz,
  updated_at timestamptz not null
);
create index order_sagas_due on order_sagas (deadline_at) where deadline_at is not null;
`;

/**
 * The Idempotency-Key of each order placed with one, per user: the hash of the request it came with
 * and the order it made. The primary key is what makes concurrent retries wait for the first.
 */
const idempotencyKeys = `
create table order_idempotency_keys (
  user_id uuid not null,
  idempotency_key text not null,
  request_hash text not null,
  order_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (user_id, idempotency_key)
);
`;

/** The order service's tables beside the event store. */
export const orderMigrations: readonly Migration[] = [
  { id: 'order/001-price-list', sql: priceList },
  { id: 'order/002-sagas', sql: sagas },
  { id: 'order/003-idempotency-keys', sql: idempotencyKeys },
];
