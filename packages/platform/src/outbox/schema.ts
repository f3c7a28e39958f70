import type { Migration } from '../postgres/migrate.js';

const checkpoints = `
create table outbox_checkpoints (
  relay text primary key,
  -- The last event Kafka acknowledged, in the (transaction_id, position) order of the relay.
  transaction_id xid8 not null default '0',
  position bigint not null default 0,
  updated_at timestamptz not null default now()
);
`;

/** The relay's checkpoint table, for `migrate` after `eventStoreMigrations`. */
export const outboxMigrations: readonly Migration[] = [{ id: 'outbox/001-checkpoints', sql: checkpoints }];
