import type { PushSubscription } from '../../ports.js';
import type { Queryable } from './queryable.js';

interface SubscriptionRow {
  readonly endpoint: string;
  readonly p256dh: string;
  readonly auth: string;
}

/** The Web Push subscriptions users registered, by browser endpoint. */
export interface PushSubscriptions {
  /**
   * Keeps `subscription` for `userId`; the same endpoint again replaces its keys, and moves it to
   * `userId` when another user signed in on that browser since.
   */
  save(userId: string, subscription: PushSubscription): Promise<void>;
  /** Forgets the caller's subscription at `endpoint`, if there is one. */
  remove(userId: string, endpoint: string): Promise<void>;
}

/** The subscriptions on PostgreSQL. */
export function pushSubscriptionsOn(pool: Queryable): PushSubscriptions {
  return {
    async save(userId, { endpoint, keys }) {
      await pool.query(
        `insert into notification_push_subscriptions (endpoint, user_id, p256dh, auth) values ($1, $2, $3, $4)
         on conflict (endpoint) do update set user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth`,
        [endpoint, userId, keys.p256dh, keys.auth],
      );
    },
    async remove(userId, endpoint) {
      await pool.query('delete from notification_push_subscriptions where user_id = $1 and endpoint = $2', [userId, endpoint]);
    },
  };
}

/** The user's subscriptions, oldest first. */
export async function subscriptionsOf(db: Queryable, userId: string): Promise<PushSubscription[]> {
  const { rows } = await db.query<SubscriptionRow>(
    'select endpoint, p256dh, auth from notification_push_subscriptions where user_id = $1 order by created_at, endpoint',
    [userId],
  );
  return rows.map(({ endpoint, p256dh, auth }) => ({ endpoint, keys: { p256dh, auth } }));
}

/** Whether the user has any subscription. */
export async function hasSubscription(db: Queryable, userId: string): Promise<boolean> {
  const { rows } = await db.query('select 1 from notification_push_subscriptions where user_id = $1 limit 1', [userId]);
  return rows.length > 0;
}

/** Forgets a subscription the push service says is gone (404, 410), whoever owns it. */
export async function removeGoneSubscription(db: Queryable, endpoint: string): Promise<void> {
  await db.query('delete from notification_push_subscriptions where endpoint = $1', [endpoint]);
}
