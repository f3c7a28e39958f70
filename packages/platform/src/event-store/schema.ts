import type { Migration } from '../postgres/migrate.js';

/** The channel the event store notifies, after a commit, when it has appended events. */
export const EVENTS_APPENDED_CHANNEL = 'events_appended';

/**
 * Raised by `append_events` when the caller's transaction already had a transaction id older than
 * the one that wrote the stream's last event (it wrote something before the stream changed). The
 * global order is by transaction id, so the append would sort before its own predecessor; the
 * transaction must be retried, as with any serialization failure.
 */
export const TRANSACTION_ORDER_SQLSTATE = '40001';

const events = `
create table events (
  position bigint generated always as identity primary key,
  -- Orders the global log by commit safety, see the outbox DESIGN.md.
  transaction_id xid8 not null default pg_current_xact_id(),
  stream_id text not null,
  version integer not null check (version > 0),
  event_id uuid not null,
  event_type text not null,
  aggregate_type text not null,
  aggregate_id text not null,
  schema_version integer not null check (schema_version > 0),
  correlation_id text not null,
  causation_id text not null,
  occurred_at timestamptz not null,
  recorded_at timestamptz not null default statement_timestamp(),
  payload jsonb not null,
  trace_headers jsonb not null default '{}',
  -- The catalog topic chosen at append time: storing it is what schedules the publication.
  topic text not null,
  constraint events_event_id_key unique (event_id),
  constraint events_stream_version_key unique (stream_id, version)
);
create index events_transaction_order_idx on events (transaction_id, position);
create index events_occurred_at_idx on events (occurred_at);
`;

// One round trip per append: the expected-version check and the insert run in one call. A version
// mismatch returns the actual version rather than raising, so the caller's transaction stays usable;
// two appends racing past the check meet at the (stream_id, version) unique constraint.
const appendFunction = `
create function append_events(p_stream_id text, p_expected_version integer, p_events jsonb)
returns integer
language plpgsql
as $fn$
declare
  actual_version integer;
  last_transaction xid8;
  last_aggregate text;
begin
  select e.version, e.transaction_id, e.aggregate_type || '/' || e.aggregate_id
    into actual_version, last_transaction, last_aggregate
    from events e
   where e.stream_id = p_stream_id
   order by e.version desc
   limit 1;
  if coalesce(actual_version, 0) <> p_expected_version then
    return coalesce(actual_version, 0);
  end if;
  if last_transaction is not null and pg_current_xact_id() < last_transaction then
    raise exception 'stream % changed after this transaction began writing', p_stream_id
      using errcode = '${TRANSACTION_ORDER_SQLSTATE}', detail = actual_version::text;
  end if;
  if last_aggregate is not null
     and last_aggregate <> (p_events -> 0 ->> 'aggregateType') || '/' || (p_events -> 0 ->> 'aggregateId') then
    raise exception 'stream % belongs to %', p_stream_id, last_aggregate using errcode = '22023';
  end if;
  insert into events (stream_id, version, event_id, event_type, aggregate_type, aggregate_id, schema_version,
                      correlation_id, causation_id, occurred_at, payload, trace_headers, topic)
  select p_stream_id, p_expected_version + e.n::integer, e.event_id, e.event_type, e.aggregate_type,
         e.aggregate_id, e.schema_version, e.correlation_id, e.causation_id, e.occurred_at, e.payload,
         e.trace_headers, e.topic
    from rows from (
           jsonb_to_recordset(p_events) as ("eventId" uuid, "eventType" text, "aggregateType" text,
             "aggregateId" text, "schemaVersion" integer, "correlationId" text, "causationId" text,
             "occurredAt" timestamptz, payload jsonb, "traceHeaders" jsonb, topic text)
         ) with ordinality as e(event_id, event_type, aggregate_type, aggregate_id, schema_version,
           correlation_id, causation_id, occurred_at, payload, trace_headers, topic, n)
   order by e.n;
  return p_expected_version;
end
$fn$;
`;

// Several streams' appends in one transaction, in order: the client's group commit. Each runs the
// same function as a lone append and reports its stream's version before it; anything raised fails
// the whole transaction, and the client then sends the appends alone.
const appendBatchFunction = `
create function append_events_batch(p_appends jsonb)
returns integer[]
language sql
as $fn$
  select array_agg(append_events(a ->> 'streamId', (a ->> 'expectedVersion')::integer, a -> 'events') order by n)
    from jsonb_array_elements(p_appends) with ordinality as t(a, n)
$fn$;
`;

// An append inside a caller's transaction: the same function, in a PL/pgSQL block that catches what
// the store reports as a ConcurrencyError, so the caller's transaction stays usable. The block is a
// subtransaction (entered and released in the same call, no extra round trip), which is why only this
// path pays for it: a lone append is a transaction of its own, and a batch of 256 would take 256
// subtransaction ids and overflow each backend's cache of them.
const appendInTransactionFunction = `
create function append_events_in_transaction(p_stream_id text, p_expected_version integer, p_events jsonb,
                                             out actual_version integer, out out_of_order boolean)
language plpgsql
as $fn$
declare
  failed_constraint text;
begin
  out_of_order := false;
  actual_version := append_events(p_stream_id, p_expected_version, p_events);
exception
  when unique_violation then
    get stacked diagnostics failed_constraint = constraint_name;
    if failed_constraint is distinct from 'events_stream_version_key' then
      raise;
    end if;
    -- The insert waited for the append that got there first and saw it commit. Under read committed
    -- this statement sees its version; under a snapshot that began earlier, one past the expected
    -- version is still true.
    select greatest(coalesce(max(e.version), 0), p_expected_version + 1)
      into actual_version
      from events e
     where e.stream_id = p_stream_id;
  when serialization_failure then
    -- The transaction-order refusal of append_events (or a serializable transaction's own conflict):
    -- either way the whole transaction must be retried, which the flag tells the store.
    actual_version := p_expected_version;
    out_of_order := true;
end
$fn$;
`;

/** The event store's tables and append functions, for `migrate`. */
export const eventStoreMigrations: readonly Migration[] = [
  { id: 'event-store/001-events', sql: events },
  { id: 'event-store/002-append-function', sql: appendFunction },
  { id: 'event-store/003-append-batch-function', sql: appendBatchFunction },
  { id: 'event-store/004-append-in-transaction-function', sql: appendInTransactionFunction },
];
