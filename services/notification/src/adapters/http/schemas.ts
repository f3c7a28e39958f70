import { z } from 'zod';
import { positionOf } from '../mongo/history-queries.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Options for `PushSubscriptionRequest`. */
export interface PushSubscriptionRules {
  /** Accept `http:` endpoints on a loopback host (a local push service). */
  readonly allowLoopbackHttp: boolean;
}

/** A base64url string (padding tolerated, as some browsers add it) that decodes to exactly `bytes` bytes. */
function base64urlOf(bytes: number, what: string) {
  return z
    .string()
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, { message: 'must be base64url', abort: true })
    .refine((text) => Buffer.from(text, 'base64url').length === bytes, `must decode to the ${bytes} bytes of ${what}`);
}

/** `POST /api/notifications/push-subscriptions`: a browser's `PushSubscription.toJSON()`. */
export function PushSubscriptionRequest({ allowLoopbackHttp }: PushSubscriptionRules) {
  // Aborting on a malformed URL keeps the refinement from parsing what is not one.
  const endpoint = z
    .url({ abort: true })
    .max(2_000)
    .refine((text) => {
      const url = new URL(text);
      return url.protocol === 'https:' || (allowLoopbackHttp && url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
    }, allowLoopbackHttp ? 'must be an https URL, or http on a loopback host' : 'must be an https URL');
  return z
    .object({
      endpoint,
      expirationTime: z.number().nullable().optional(),
      keys: z.object({
        p256dh: base64urlOf(65, 'an uncompressed P-256 public key'),
        auth: base64urlOf(16, 'an authentication secret'),
      }),
    })
    .meta({ id: 'PushSubscription', description: "A browser's PushSubscription.toJSON()" });
}

/** `DELETE /api/notifications/push-subscriptions` */
export const RemovePushSubscriptionQuery = z.object({ endpoint: z.url().max(2_000) });

/** `GET /api/notifications` */
export const HistoryQuery = z.object({
  /** Another user's history: admins only. */
  userId: z.uuid().optional(),
  cursor: z
    .string()
    .max(500)
    .refine((cursor) => positionOf(cursor) !== undefined, 'must be a nextCursor this API returned')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** One notification as its history shows it. */
export const NotificationResponse = z
  .object({
    id: z.uuid(),
    channel: z.enum(['email', 'sms', 'push']),
    template: z.string(),
    status: z.enum(['pending', 'sending', 'sent', 'failed']),
    attempts: z.int().min(0),
    requestedAt: z.iso.datetime(),
    sentAt: z.iso.datetime().optional(),
    failedAt: z.iso.datetime().optional(),
    /** The provider's last refusal or failure; shown to admins only. */
    lastError: z.string().optional(),
  })
  .meta({ id: 'Notification' });

/** A page of a user's notifications, newest first. */
export const HistoryPageResponse = z
  .object({ items: z.array(NotificationResponse), nextCursor: z.string().optional() })
  .meta({ id: 'NotificationPage' });

/** The subscription as stored. */
export const PushSubscriptionResponse = z.object({ endpoint: z.string() }).meta({ id: 'StoredPushSubscription' });

/** The VAPID public key a browser passes to `pushManager.subscribe` as `applicationServerKey`. */
export const PushPublicKeyResponse = z.object({ publicKey: z.string() }).meta({ id: 'PushPublicKey' });
