import type { Migration } from '@msa/platform';

/**
 * The worker's queue of gateway calls: one charge per payment, one refund per payment, each keyed by
 * `(payment_id, kind)`, so a redelivered request inserts nothing. The worker claims due rows
 * (`pending` whose time has come, or `running` whose lease ended) under a fresh `claim_id` with
 * `for update skip locked`, calls the gateway outside any transaction, and records the outcome only
 * under that claim. `token` is the provider's token for the charge; it is forgotten once the job ends.
 * `attempts` counts every call; `round_start` is the count when an admin last re-armed the parked
 * job, so each re-arm gives a fresh round of attempts while `attempts` stays the whole story.
 * `trace_headers` is the trace context of the event that asked, so the call and its outcome's event
 * continue that trace.
 */
const jobs = `
create table payment_jobs (
  payment_id uuid not null,
  kind text not null check (kind in ('charge', 'refund')),
  order_id uuid not null,
  user_id uuid not null,
  amount_minor bigint not null,
  currency text not null,
  method text not null,
  token text,
  charge_reference text,
  correlation_id text not null,
  causation_id text not null,
  trace_headers jsonb not null default '{}',
  state text not null check (state in ('pending', 'running', 'done', 'parked')),
  attempts integer not null default 0,
  round_start integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  claim_id uuid,
  claimed_until timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz,
  primary key (payment_id, kind)
);
create index payment_jobs_due on payment_jobs (next_attempt_at) where state = 'pending';
create index payment_jobs_claimed on payment_jobs (claimed_until) where state = 'running';
`;

/**
 * The sandbox gateway's own books, as a provider keeps them: each answer under the idempotency key
 * that asked for it, so a repeated key gets the first answer back, across restarts too. A charge is
 * refunded at most once (`charge_reference` is unique among refunds).
 */
const sandbox = `
create table payment_sandbox_charges (
  idempotency_key text primary key,
  reference text not null unique,
  status text not null check (status in ('succeeded', 'declined')),
  decline_code text,
  decline_reason text,
  amount_minor bigint not null,
  currency text not null,
  token text not null,
  created_at timestamptz not null default now()
);
create table payment_sandbox_refunds (
  idempotency_key text primary key,
  charge_reference text not null unique references payment_sandbox_charges (reference),
  reference text not null unique,
  amount_minor bigint not null,
  currency text not null,
  created_at timestamptz not null default now()
);
`;

/** The payment service's migrations, applied after the platform's own. */
export const paymentMigrations: readonly Migration[] = [
  { id: 'payment/001-jobs', sql: jobs },
  { id: 'payment/002-sandbox', sql: sandbox },
];
