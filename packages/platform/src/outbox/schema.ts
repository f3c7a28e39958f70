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

const unpublishable = `
create table outbox_unpublishable (
  relay text not null,
  -- The event's position in events. A stream with rows here is held: its later events are recorded
  -- here too, in order, instead of being published.
  position bigint not null,
  stream_id text not null,
  event_id uuid not null,
  -- Why Kafka can never take the event; null for an event held back behind an earlier one.
  reason text,
  recorded_at timestamptz not null default now(),
  primary key (relay, position)
);
create index outbox_unpublishable_stream_idx on outbox_unpublishable (relay, stream_id, position);

-- Streams an operator asked the leader to publish again, after fixing what made an event unpublishable.
create table outbox_stream_releases (
  relay text not null,
  stream_id text not null,
  requested_at timestamptz not null default now(),
  primary key (relay, stream_id)
);
`;

/** The relay's tables, for `migrate` after `eventStoreMigrations`. */
export const outboxMigrations: readonly Migration[] = [
  { id: 'outbox/001-checkpoints', sql: checkpoints },
  { id: 'outbox/002-unpublishable', sql: unpublishable },
];
