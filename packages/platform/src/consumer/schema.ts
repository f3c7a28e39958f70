import type { Pool } from 'pg';
import { migrate, type Migration } from '../postgres/migrate.js';

// The runner's own tables live in the service's database, beside its data, so that an inbox row and
// the handler's effects commit together.
const TABLES = `
  -- Processed events per consumer group: a second delivery of the same event id is skipped.
  create table consumer_inbox (
    consumer_group text not null,
    event_id uuid not null,
    topic text not null,
    partition integer not null,
    "offset" bigint not null,
    handled_at timestamptz not null default now(),
    primary key (consumer_group, event_id)
  );

  -- Keys whose later messages follow a dead-lettered one into the DLT until a replay handles them.
  create table consumer_parked_keys (
    consumer_group text not null,
    topic text not null,
    message_key text not null,
    partition integer not null,
    head_offset bigint not null,
    last_dlt_offset bigint not null,
    dead_lettered integer not null,
    replay_id uuid,
    parked_at timestamptz not null default now(),
    primary key (consumer_group, topic, message_key)
  );

  -- What became of each dead-letter entry a replay sent back; an entry without a row is pending.
  create table consumer_dlt_resolutions (
    consumer_group text not null,
    topic text not null,
    partition integer not null,
    dlt_offset bigint not null,
    outcome text not null check (outcome in ('handled', 'duplicate', 'dead-lettered-again', 'superseded')),
    replay_id uuid not null,
    resolved_at timestamptz not null default now(),
    primary key (consumer_group, topic, partition, dlt_offset)
  );
`;

// Inbox pruning deletes a group's rows oldest first; without this index each batch would scan every
// row of the group. A plain (not concurrent) build: migrations run in one transaction.
const INBOX_HANDLED_AT = `
  create index consumer_inbox_handled_at on consumer_inbox (consumer_group, handled_at);
`;

/** The runner's schema, for the platform's migrator. */
export const consumerMigrations: readonly Migration[] = [
  { id: 'consumer/001-inbox-parked-keys-resolutions', sql: TABLES },
  { id: 'consumer/002-inbox-handled-at-index', sql: INBOX_HANDLED_AT },
];

/** Brings the runner's tables up to date; safe to call from every replica at start-up. */
export async function ensureConsumerSchema(pool: Pool): Promise<void> {
  await migrate(pool, consumerMigrations);
}
