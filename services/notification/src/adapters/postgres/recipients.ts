import type { EventOf } from '@msa/contracts';
import { RetriableError } from '@msa/platform';
import type { Recipient } from '../../domain/recipient.js';
import type { Queryable } from './queryable.js';

interface RecipientRow {
  readonly user_id: string;
  readonly email: string;
  readonly name: string;
  readonly phone: string | null;
}

/** A `UserUpdated` for a user whose `UserCreated` (on another topic) has not been applied yet. */
export class RecipientGapError extends RetriableError {
  override readonly name = 'RecipientGapError';
}

/** Records a registration; an older or repeated one changes nothing. */
export async function recordCreated(db: Queryable, event: EventOf<'UserCreated'>): Promise<void> {
  const { userId, email, name, phone } = event.payload;
  await db.query(
    `insert into notification_recipients (user_id, email, name, phone, version) values ($1, $2, $3, $4, $5)
     on conflict (user_id) do update set email = excluded.email, name = excluded.name, phone = excluded.phone,
       version = excluded.version, updated_at = now()
     where notification_recipients.version < excluded.version`,
    [userId, email, name, phone ?? null, event.version],
  );
}

/**
 * Applies a profile change to a known user, unless the row already reflects a later event.
 *
 * @throws RecipientGapError when the user is not known yet, so the runner tries again.
 */
export async function recordUpdated(db: Queryable, event: EventOf<'UserUpdated'>): Promise<void> {
  const { userId, email, name, phone } = event.payload;
  const { rows } = await db.query<{ version: number }>(
    `with updated as (
       update notification_recipients set email = coalesce($2, email), name = coalesce($3, name),
         phone = coalesce($4, phone), version = $5, updated_at = now()
       where user_id = $1 and version < $5 returning version)
     select version from updated union all select version from notification_recipients where user_id = $1`,
    [userId, email ?? null, name ?? null, phone ?? null, event.version],
  );
  if (rows.length === 0) throw new RecipientGapError(`user ${userId} changed before their registration reached the recipients`);
}

/** The user's addresses, if known. */
export async function findRecipient(db: Queryable, userId: string): Promise<Recipient | undefined> {
  const { rows } = await db.query<RecipientRow>('select user_id, email, name, phone from notification_recipients where user_id = $1', [userId]);
  const [row] = rows;
  if (row === undefined) return undefined;
  return { userId: row.user_id, email: row.email, name: row.name, ...(row.phone === null ? {} : { phone: row.phone }) };
}
