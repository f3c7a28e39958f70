import { type AuthMiddleware, ForbiddenError, route, type Route } from '@msa/platform';
import type { HistoryDocument } from '../mongo/history.js';
import type { NotificationHistory } from '../mongo/history-queries.js';
import type { PushSubscriptions } from '../postgres/push-subscriptions.js';
import {
  HistoryPageResponse,
  HistoryQuery,
  PushPublicKeyResponse,
  PushSubscriptionRequest,
  PushSubscriptionResponse,
  RemovePushSubscriptionQuery,
} from './schemas.js';

/** What the notification routes are built from; app.ts supplies the real ones. */
export interface NotificationRoutesDependencies {
  readonly history: NotificationHistory;
  readonly subscriptions: PushSubscriptions;
  /** The VAPID public key, base64url, as browsers take it. */
  readonly vapidPublicKey: string;
  /** Accept `http:` push endpoints on a loopback host. */
  readonly allowLoopbackHttp: boolean;
  /** Admits any verified caller. */
  readonly authenticated: AuthMiddleware;
}

const TAGS = ['notifications'];

function toResponse(document: HistoryDocument, asAdmin: boolean) {
  const { _id, channel, template, status, attempts, requestedAt, sentAt, failedAt, lastError } = document;
  return {
    id: _id,
    channel,
    template,
    status,
    attempts,
    requestedAt: requestedAt.toISOString(),
    ...(sentAt === undefined ? {} : { sentAt: sentAt.toISOString() }),
    ...(failedAt === undefined ? {} : { failedAt: failedAt.toISOString() }),
    // A provider's words can name hosts and addresses: for the operators, not the customer.
    ...(asAdmin && lastError !== undefined ? { lastError } : {}),
  };
}

/** The notification service's HTTP API: history, push subscriptions and the push public key. */
export function notificationRoutes(deps: NotificationRoutesDependencies): Route[] {
  const { history, subscriptions, authenticated } = deps;

  const list = route(
    {
      method: 'get',
      path: '/api/notifications',
      summary: "The caller's notifications, newest first, a page at a time",
      description: 'Admins may name another user with `userId`; a customer naming anyone else gets 403.',
      tags: TAGS,
      auth: authenticated,
      request: { query: HistoryQuery },
      responses: { 200: { description: 'A page of notifications', body: HistoryPageResponse } },
    },
    async ({ query: { userId, cursor, limit }, principal, reply }) => {
      const asAdmin = principal.roles.includes('admin');
      const whose = userId ?? principal.userId;
      if (whose !== principal.userId && !asAdmin) throw new ForbiddenError("only admins may read another user's notifications");
      const page = await history.page(whose, limit, cursor);
      return reply(200, {
        items: page.items.map((document) => toResponse(document, asAdmin)),
        ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
      });
    },
  );

  const subscribe = route(
    {
      method: 'post',
      path: '/api/notifications/push-subscriptions',
      summary: "Subscribe the caller's browser to Web Push",
      description: 'Idempotent per endpoint: subscribing again replaces the keys.',
      tags: TAGS,
      auth: authenticated,
      request: { body: PushSubscriptionRequest({ allowLoopbackHttp: deps.allowLoopbackHttp }) },
      responses: { 201: { description: 'Subscribed', body: PushSubscriptionResponse } },
    },
    async ({ body: { endpoint, keys }, principal, reply }) => {
      await subscriptions.save(principal.userId, { endpoint, keys });
      return reply(201, { endpoint });
    },
  );

  const unsubscribe = route(
    {
      method: 'delete',
      path: '/api/notifications/push-subscriptions',
      summary: "Unsubscribe one of the caller's browsers",
      description: 'Idempotent: an endpoint the caller never subscribed is 204 too.',
      tags: TAGS,
      auth: authenticated,
      request: { query: RemovePushSubscriptionQuery },
      responses: { 204: { description: 'Unsubscribed' } },
    },
    async ({ query: { endpoint }, principal, reply }) => {
      await subscriptions.remove(principal.userId, endpoint);
      return reply(204);
    },
  );

  const publicKey = route(
    {
      method: 'get',
      path: '/api/notifications/push-public-key',
      summary: 'The VAPID public key a browser subscribes with',
      tags: TAGS,
      responses: { 200: { description: 'The key, base64url', body: PushPublicKeyResponse } },
    },
    ({ reply }) => reply(200, { publicKey: deps.vapidPublicKey }),
  );

  return [list, subscribe, unsubscribe, publicKey];
}
