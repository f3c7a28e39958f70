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

/**
 * When the password last changed (tokens issued before it are refused), and the reset links: only
 * each token's SHA-256 is kept, so the table alone opens no account. An account has at most one
 * unused token; a used one stays until the next request replaces it.
 */
const passwordResets = `
alter table user_credentials add column password_changed_at timestamptz;

create table password_reset_tokens (
  token_hash bytea primary key,
  user_id uuid not null references user_credentials (user_id) on delete cascade,
  requested_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index password_reset_tokens_user on password_reset_tokens (user_id);
`;

/** The user service's migrations, applied after the platform's own. */
export const userMigrations: readonly Migration[] = [
  { id: 'user/001-credentials', sql: credentials },
  { id: 'user/002-password-resets', sql: passwordResets },
];

/** The constraint whose violation means the address belongs to another account. */
export const EMAIL_UNIQUE_CONSTRAINT = 'user_credentials_email_key';
