import type { Migration } from '@msa/platform';

/**
 * The write side's own table beside the event store: one row per account holding what must never
 * travel in an event. `email_key` (the lower-cased address) is unique, so the database itself settles
 * concurrent registrations of one address: the row is inserted in the transaction that appends
 * `UserCreated`, and the second insert fails on the index instead of racing a prior check.
 */
const credentials = `
create table user_credentials (
  user_id uuid primary key,
  email_key text not null,
  password_hash text not null,
  updated_at timestamptz not null default now(),
  constraint user_credentials_email_key unique (email_key)
);
`;

/** The user service's migrations, applied after the platform's own. */
export const userMigrations: readonly Migration[] = [{ id: 'user/001-credentials', sql: credentials }];

/** The constraint whose violation means the address belongs to another account. */
export const EMAIL_UNIQUE_CONSTRAINT = 'user_credentials_email_key';
