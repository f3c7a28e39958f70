import type { Migration } from '@msa/platform';

/**
 * Each user's addresses, kept from their profile events. `version` is the user stream's version of
 * the last event applied, so an older event delivered late changes nothing.
 */
const recipients = `
create table notification_recipients (
  user_id uuid primary key,
  email text not null,
  name text not null,
  phone text,
  version integer not null,
  updated_at timestamptz not null default now()
);
`;

/** The browsers a user subscribed for Web Push; the endpoint names one browser's subscription. */
const pushSubscriptions = `
create table notification_push_subscriptions (
  endpoint text primary key,
  user_id uuid not null,
  p256dh text not null,
  auth text not null,
  created_at timestamptz not null default now()
);
create index notification_push_subscriptions_user on notification_push_subscriptions (user_id);
`;

/**
 * The dispatcher's ledger. A notification has one delivery per address (a push notification one per
 * subscription), each keyed by `<trigger event id>:<channel>[:<recipient>]`, which is unique: a
 * redelivered request inserts nothing. The sender claims due rows (`pending` whose time has come, or
 * `sending` whose claim expired), marks them `sending` under a fresh `claim_id` and records the
 * outcome only under that claim. `revision` grows with every change of a notification's deliveries
 * and `history_revision` is the one MongoDB's history shows, so the history follows behind the ledger.
 */
const ledger = `
create table notification_notifications (
  notification_id uuid primary key,
  user_id uuid,
  channel text not null,
  template text not null,
  requested_at timestamptz not null,
  revision integer not null default 1,
  history_revision integer not null default 0
);
create index notification_notifications_history on notification_notifications (notification_id) where revision > history_revision;

create table notification_deliveries (
  idempotency_key text primary key,
  notification_id uuid not null references notification_notifications (notification_id),
  channel text not null check (channel in ('email', 'sms', 'push')),
  recipient text not null,
  heading text,
  push_keys jsonb,
  template text not null,
  data jsonb,
  state text not null check (state in ('pending', 'sending', 'sent', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  claim_id uuid,
  claimed_until timestamptz,
  last_error text,
  provider_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  sent_at timestamptz,
  failed_at timestamptz
);
create index notification_deliveries_due on notification_deliveries (next_attempt_at) where state = 'pending';
create index notification_deliveries_claimed on notification_deliveries (claimed_until) where state = 'sending';
create index notification_deliveries_notification on notification_deliveries (notification_id);
`;

/** The notification service's migrations, applied after the platform's own. */
export const notificationMigrations: readonly Migration[] = [
  { id: 'notification/001-recipients', sql: recipients },
  { id: 'notification/002-push-subscriptions', sql: pushSubscriptions },
  { id: 'notification/003-ledger', sql: ledger },
];
