import type { ClientBase, Pool } from 'pg';
import { EVENT_COLUMNS } from '../event-store/rows.js';
import type { SessionStatements } from './leadership.js';
import type { OutboxRow } from './messages.js';

/** An event the relay did not publish: `reason` says why Kafka cannot take it, or is null when it is held behind one. */
export interface UnpublishableEntry {
  readonly row: OutboxRow;
  readonly reason: string | null;
}

/** The streams of relay `relay` that are held: their events wait behind an unpublishable one. */
export async function loadHeldStreams(client: SessionStatements, relay: string): Promise<Set<string>> {
  const { rows } = await client.query<{ stream_id: string }>(
    'select distinct stream_id from outbox_unpublishable where relay = $1',
    [relay],
  );
  return new Set(rows.map((row) => row.stream_id));
}

/** How many events relay `relay` holds back, the unpublishable ones included. */
export async function countUnpublishable(db: SessionStatements, relay: string): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    'select count(*)::integer as count from outbox_unpublishable where relay = $1',
    [relay],
  );
  return rows[0]?.count ?? 0;
}

/**
 * Records events as not published. An event recorded before (read again after a lost checkpoint)
 * keeps its row; one that failed again after a release gets the new reason.
 */
export async function recordUnpublishable(client: SessionStatements, relay: string, entries: readonly UnpublishableEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await client.query(
    `insert into outbox_unpublishable as u (relay, position, stream_id, event_id, reason)
     select $1, * from unnest($2::bigint[], $3::text[], $4::uuid[], $5::text[])
     on conflict (relay, position) do update set reason = excluded.reason, recorded_at = now()
      where excluded.reason is not null`,
    [
      relay,
      entries.map(({ row }) => row.position),
      entries.map(({ row }) => row.stream_id),
      entries.map(({ row }) => row.event_id),
      entries.map(({ reason }) => reason),
    ],
  );
}

/** The held streams an operator asked to release. */
export async function requestedReleases(client: SessionStatements, relay: string): Promise<string[]> {
  const { rows } = await client.query<{ stream_id: string }>(
    'select stream_id from outbox_stream_releases where relay = $1 order by requested_at',
    [relay],
  );
  return rows.map((row) => row.stream_id);
}

/** The events relay `relay` holds of `stream`, in the relay's order. */
export async function readHeldEvents(client: SessionStatements, relay: string, stream: string): Promise<OutboxRow[]> {
  const { rows } = await client.query<OutboxRow>(
    `select e.transaction_id::text as transaction_id, ${prefixed('e', EVENT_COLUMNS)}
       from outbox_unpublishable u join events e on e.position = u.position
      where u.relay = $1 and u.stream_id = $2
      order by e.transaction_id, e.position`,
    [relay, stream],
  );
  return rows;
}

/** Forgets the held events that are now published, and the release request of their stream. */
export async function finishRelease(client: SessionStatements, relay: string, stream: string, published: readonly OutboxRow[]): Promise<void> {
  await client.query(
    `with published as (delete from outbox_unpublishable where relay = $1 and position = any($3::bigint[]))
     delete from outbox_stream_releases where relay = $1 and stream_id = $2`,
    [relay, stream, published.map((row) => row.position)],
  );
}

function prefixed(alias: string, columns: string): string {
  return columns
    .split(',')
    .map((column) => `${alias}.${column.trim()}`)
    .join(', ');
}

/** A held stream as an operator sees it: the event that could not be published and what waits behind it. */
export interface HeldStream {
  readonly relay: string;
  readonly streamId: string;
  /** The first event of the stream the relay did not publish. */
  readonly head: {
    readonly eventId: string;
    readonly eventType: string;
    readonly version: number;
    readonly topic: string;
    readonly position: string;
    readonly reason: string;
    readonly recordedAt: Date;
  };
  /** Events of the stream held back behind it, and other unpublishable ones among them. */
  readonly heldBehind: number;
  /** When a release was asked for that the leader has not acted on yet. */
  readonly releaseRequestedAt: Date | null;
}

interface HeldRow {
  relay: string;
  stream_id: string;
  event_id: string;
  event_type: string;
  version: number;
  topic: string;
  position: string;
  reason: string | null;
  recorded_at: Date;
  held_behind: number;
  release_requested_at: Date | null;
}

/** Every held stream, of one relay or of all, oldest first. */
export async function listHeldStreams(db: Pool | ClientBase, relay?: string): Promise<HeldStream[]> {
  const { rows } = await db.query<HeldRow>(
    `select distinct on (u.relay, u.stream_id)
            u.relay, u.stream_id, u.event_id, e.event_type, e.version, e.topic, u.position, u.reason, u.recorded_at,
            (count(*) over (partition by u.relay, u.stream_id))::integer - 1 as held_behind,
            r.requested_at as release_requested_at
       from outbox_unpublishable u
       join events e on e.position = u.position
       left join outbox_stream_releases r on r.relay = u.relay and r.stream_id = u.stream_id
      where $1::text is null or u.relay = $1
      order by u.relay, u.stream_id, u.position`,
    [relay ?? null],
  );
  return rows
    .map((row) => ({
      relay: row.relay,
      streamId: row.stream_id,
      head: {
        eventId: row.event_id,
        eventType: row.event_type,
        version: row.version,
        topic: row.topic,
        position: row.position,
        reason: row.reason ?? 'held behind an earlier event whose row is gone',
        recordedAt: row.recorded_at,
      },
      heldBehind: row.held_behind,
      releaseRequestedAt: row.release_requested_at,
    }))
    .toSorted((a, b) => a.head.recordedAt.getTime() - b.head.recordedAt.getTime());
}

/** Asks the leader of relay `relay` to publish `stream`'s held events again; true when the stream is held. */
export async function requestRelease(db: Pool | ClientBase, relay: string, stream: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `insert into outbox_stream_releases (relay, stream_id)
     select $1, $2 where exists (select 1 from outbox_unpublishable where relay = $1 and stream_id = $2)
     on conflict (relay, stream_id) do update set requested_at = now()`,
    [relay, stream],
  );
  return rowCount === 1;
}

/** Whether a release of `stream` is still waiting for the leader. */
export async function releasePending(db: Pool | ClientBase, relay: string, stream: string): Promise<boolean> {
  const { rows } = await db.query('select 1 from outbox_stream_releases where relay = $1 and stream_id = $2', [relay, stream]);
  return rows.length > 0;
}
