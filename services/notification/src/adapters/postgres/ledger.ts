import { randomUUID } from 'node:crypto';
import type { NotificationRequested } from '@msa/contracts';
import type { DeliveryRequest } from '../../domain/delivery.js';
import type { DeliveryStep } from '../../domain/delivery-policy.js';
import type { PushSubscription } from '../../ports.js';
import type { Queryable } from './queryable.js';

/** A delivery the sender claimed: due, and now its own until `claimId`'s lease ends. */
export interface ClaimedDelivery extends DeliveryRequest {
  readonly claimId: string;
  /** This attempt's number, 1 for the first. */
  readonly attempt: number;
}

interface ClaimedRow {
  readonly idempotency_key: string;
  readonly notification_id: string;
  readonly channel: DeliveryRequest['channel'];
  readonly recipient: string;
  readonly heading: string | null;
  readonly push_keys: PushSubscription['keys'] | null;
  readonly template: string;
  readonly data: Readonly<Record<string, string>> | null;
  readonly claim_id: string;
  readonly attempts: number;
}

/** The dispatcher's ledger, as the consumer and the sender use it. */
export interface DeliveryLedger {
  /** Claims up to `limit` due deliveries for `leaseMs`, counting the attempt. */
  claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]>;
  /** Records what the attempt came to; false when the claim was lost (its lease ended and another took it). */
  record(delivery: ClaimedDelivery, step: DeliveryStep): Promise<boolean>;
}

/**
 * Records a requested notification and its deliveries; a request seen before inserts nothing.
 * Returns how many deliveries are new.
 */
export async function recordRequested(db: Queryable, requested: NotificationRequested, deliveries: readonly DeliveryRequest[]): Promise<number> {
  const { notificationId, userId, channel, template } = requested.payload;
  await db.query(
    `insert into notification_notifications (notification_id, user_id, channel, template, requested_at)
     values ($1, $2, $3, $4, $5) on conflict (notification_id) do nothing`,
    [notificationId, userId ?? null, channel, template, requested.occurredAt],
  );
  let inserted = 0;
  for (const d of deliveries) {
    const { rowCount } = await db.query(
      `insert into notification_deliveries
         (idempotency_key, notification_id, channel, recipient, heading, push_keys, template, data, state)
       values ($1, $2, $3, $4, $5, $6, $7, $8, 'pending') on conflict (idempotency_key) do nothing`,
      [d.idempotencyKey, d.notificationId, d.channel, d.recipient, d.heading ?? null, d.pushKeys ?? null, d.template, d.data],
    );
    inserted += rowCount ?? 0;
  }
  if (inserted > 0) await bumpRevision(db, notificationId);
  return inserted;
}

async function bumpRevision(db: Queryable, notificationId: string): Promise<void> {
  await db.query('update notification_notifications set revision = revision + 1 where notification_id = $1', [notificationId]);
}

// Every statement that changes deliveries also bumps their notifications' revision, so the history
// sync sees the change; both happen in one statement, so neither is ever seen without the other.
const claimStatement = `
with due as (
  select idempotency_key from notification_deliveries
  where (state = 'pending' and next_attempt_at <= now()) or (state = 'sending' and claimed_until <= now())
  order by next_attempt_at
  limit $1
  for update skip locked
), claimed as (
  update notification_deliveries d
  set state = 'sending', attempts = d.attempts + 1, claim_id = $2, claimed_until = now() + $3::float8 * interval '1 millisecond', updated_at = now()
  from due where d.idempotency_key = due.idempotency_key
  returning d.*
), bumped as (
  update notification_notifications n set revision = n.revision + 1
  where n.notification_id in (select notification_id from claimed)
)
select idempotency_key, notification_id, channel, recipient, heading, push_keys, template, data, claim_id, attempts from claimed`;

const outcomeStatements: Readonly<Record<DeliveryStep['state'], string>> = {
  // A delivery that is over forgets its template data: it may hold a reset link, and nothing sends it again.
  sent: `set state = 'sent', provider_id = $3, sent_at = now(), last_error = null, data = null`,
  pending: `set state = 'pending', next_attempt_at = now() + $3::float8 * interval '1 millisecond', last_error = $4`,
  failed: `set state = 'failed', failed_at = now(), last_error = $3, data = null`,
};

function outcomeParameters(step: DeliveryStep): unknown[] {
  switch (step.state) {
    case 'sent':
      return [step.providerId];
    case 'pending':
      return [step.delayMs, step.lastError];
    case 'failed':
      return [step.lastError];
    default:
      return assertNever(step);
  }
}

/** The ledger on PostgreSQL; claims use `for update skip locked`, so replicas share the work. */
export function ledgerOn(db: Queryable): DeliveryLedger {
  return {
    async claimDue(limit, leaseMs) {
      const { rows } = await db.query<ClaimedRow>(claimStatement, [limit, randomUUID(), leaseMs]);
      return rows.map((row) => ({
        idempotencyKey: row.idempotency_key,
        notificationId: row.notification_id,
        channel: row.channel,
        recipient: row.recipient,
        ...(row.heading === null ? {} : { heading: row.heading }),
        ...(row.push_keys === null ? {} : { pushKeys: row.push_keys }),
        template: row.template,
        data: row.data ?? {},
        claimId: row.claim_id,
        attempt: row.attempts,
      }));
    },
    async record(delivery, step) {
      const { rows } = await db.query(
        `with recorded as (
           update notification_deliveries ${outcomeStatements[step.state]}, claim_id = null, claimed_until = null, updated_at = now()
           where idempotency_key = $1 and claim_id = $2 and state = 'sending'
           returning notification_id
         ), bumped as (
           update notification_notifications n set revision = n.revision + 1 where n.notification_id in (select notification_id from recorded)
         )
         select notification_id from recorded`,
        [delivery.idempotencyKey, delivery.claimId, ...outcomeParameters(step)],
      );
      return rows.length > 0;
    },
  };
}

function assertNever(value: never): never {
  throw new Error(`unhandled delivery step ${JSON.stringify(value)}`);
}
