import type { SourceRecord } from '../handlers.js';
import { PARKED_KEY_COLUMNS, toParkedKey, type ParkedKey, type ParkedRow } from '../parking/parked-keys.js';
import type { Queryable } from '../queryable.js';

/** What the runner must know of an event before handling it. */
export interface HandlingState {
  /** The group has handled the event already (a committed inbox row). */
  readonly handled: boolean;
  /** The message key's parked state; `undefined` when the key is free or the message has none. */
  readonly parked: ParkedKey | undefined;
}

/**
 * The inbox and the parked key of one message, in one statement: a message costs one round trip
 * and no transaction of its own before its handler runs. Plain reads, so a handler transaction that
 * starts with this holds no transaction id until it writes.
 */
export async function readHandlingState(
  db: Queryable,
  group: string,
  eventId: string,
  source: Pick<SourceRecord, 'topic' | 'key'>,
): Promise<HandlingState> {
  const { rows } = await db.query<{ handled: boolean } & { [Column in keyof ParkedRow]: ParkedRow[Column] | null }>(
    `select exists (select 1 from consumer_inbox where consumer_group = $1 and event_id = $2) as handled, parked.*
     from (select 1) as one
     left join (select ${PARKED_KEY_COLUMNS} from consumer_parked_keys
                where consumer_group = $1 and topic = $3 and message_key = $4) as parked on true`,
    [group, eventId, source.topic, source.key],
  );
  const row = rows[0];
  if (row === undefined) throw new Error('the inbox and parked-key read returned no row');
  // The left join leaves every parked-key column null when the key is free.
  const parked = row.message_key === null ? undefined : toParkedKey(row as ParkedRow);
  return { handled: row.handled, parked };
}
