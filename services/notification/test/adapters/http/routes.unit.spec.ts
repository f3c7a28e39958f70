import { generateKeyPairSync } from 'node:crypto';
import type { Problem } from '@msa/platform';
import { createTestAuth, routeTestApp, type TestAuth } from '@msa/platform/testing';
import request from 'supertest';
import { notificationRoutes } from '../../../src/adapters/http/routes.js';
import type { HistoryDocument } from '../../../src/adapters/mongo/history.js';
import { cursorAfter, type NotificationHistory } from '../../../src/adapters/mongo/history-queries.js';
import type { PushSubscriptions } from '../../../src/adapters/postgres/push-subscriptions.js';
import type { PushSubscription } from '../../../src/ports.js';

const CUSTOMER = { userId: '22222222-2222-4222-8222-222222222222', email: 'minji@example.com', roles: ['customer'] } as const;
const OTHER = { userId: '99999999-9999-4999-8999-999999999999', email: 'jiwoo@example.com', roles: ['customer'] } as const;
const ADMIN = { userId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', email: 'ops@example.com', roles: ['admin'] } as const;
const VAPID_PUBLIC_KEY = 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUK';

/** A browser's subscription keys: a real P-256 public point and 16 random bytes. */
function browserKeys(): PushSubscription['keys'] {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
  return { p256dh: point.toString('base64url'), auth: Buffer.alloc(16, 7).toString('base64url') };
}

/** A notification of `userId` requested at 09:`minute`, sent five seconds later unless it `failed` with that error. */
function notification(userId: string, minute: number, failed?: string): HistoryDocument {
  const outcome =
    failed === undefined
      ? { status: 'sent' as const, sentAt: new Date(Date.UTC(2026, 2, 1, 9, minute, 5)) }
      : { status: 'failed' as const, failedAt: new Date(Date.UTC(2026, 2, 1, 9, minute + 1)), lastError: failed };
  return {
    _id: `00000000-0000-4000-8000-${minute.toString().padStart(12, '0')}`,
    userId,
    channel: 'email',
    template: 'welcome-email',
    attempts: 1,
    deliveries: 1,
    requestedAt: new Date(Date.UTC(2026, 2, 1, 9, minute)),
    revision: 3,
    ...outcome,
  };
}

/** The history in an array, paged as the MongoDB queries page it. */
function fakeHistory(documents: readonly HistoryDocument[]): NotificationHistory {
  return {
    page(userId, limit, cursor) {
      const mine = documents.filter((d) => d.userId === userId).sort((a, b) => b.requestedAt.getTime() - a.requestedAt.getTime());
      const start = cursor === undefined ? 0 : mine.findIndex((d) => cursorAfter(d) === cursor) + 1;
      const items = mine.slice(start, start + limit);
      const last = items.at(-1);
      return Promise.resolve({ items, ...(start + limit < mine.length && last !== undefined ? { nextCursor: cursorAfter(last) } : {}) });
    },
  };
}

function fakeSubscriptions(): PushSubscriptions & { readonly saved: Map<string, { userId: string; subscription: PushSubscription }> } {
  const saved = new Map<string, { userId: string; subscription: PushSubscription }>();
  return {
    saved,
    save(userId, subscription) {
      saved.set(subscription.endpoint, { userId, subscription });
      return Promise.resolve();
    },
    remove(userId, endpoint) {
      if (saved.get(endpoint)?.userId === userId) saved.delete(endpoint);
      return Promise.resolve();
    },
  };
}

const problemOf = (res: request.Response): Problem => {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.body as Problem;
};

describe('notification routes', () => {
  let auth: TestAuth;
  beforeAll(async () => {
    auth = await createTestAuth();
  });

  const history = [
    notification(CUSTOMER.userId, 1),
    notification(CUSTOMER.userId, 2, '550 mailbox unavailable'),
    notification(CUSTOMER.userId, 3),
    notification(OTHER.userId, 4),
  ];

  function app({ allowLoopbackHttp = false } = {}) {
    const subscriptions = fakeSubscriptions();
    const routes = notificationRoutes({
      history: fakeHistory(history),
      subscriptions,
      vapidPublicKey: VAPID_PUBLIC_KEY,
      allowLoopbackHttp,
      authenticated: auth.requireAuth(),
    });
    return { api: request(routeTestApp({ routes }).app), subscriptions };
  }

  it("given a customer, when listing, then their own notifications newest first, without the providers' errors", async () => {
    const res = await app().api.get('/api/notifications').set('authorization', await auth.bearer(CUSTOMER));

    expect(res.status).toBe(200);
    const { items } = res.body as { items: Record<string, unknown>[] };
    expect(items.map((i) => i.requestedAt)).toEqual(['2026-03-01T09:03:00.000Z', '2026-03-01T09:02:00.000Z', '2026-03-01T09:01:00.000Z']);
    expect(items[1]).toEqual({
      id: '00000000-0000-4000-8000-000000000002',
      channel: 'email',
      template: 'welcome-email',
      status: 'failed',
      attempts: 1,
      requestedAt: '2026-03-01T09:02:00.000Z',
      failedAt: '2026-03-01T09:03:00.000Z',
    });
  });

  it('given a page size, when following nextCursor, then the pages cover the history once and the last has no cursor', async () => {
    const { api } = app();
    const bearer = await auth.bearer(CUSTOMER);

    const first = await api.get('/api/notifications?limit=2').set('authorization', bearer);
    const { nextCursor } = first.body as { nextCursor: string };
    const second = await api.get('/api/notifications').query({ limit: 2, cursor: nextCursor }).set('authorization', bearer);

    expect((first.body as { items: unknown[] }).items).toHaveLength(2);
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: '00000000-0000-4000-8000-000000000001' })] });
  });

  it("given a customer, when naming another user's history, then 403", async () => {
    const res = await app().api.get('/api/notifications').query({ userId: OTHER.userId }).set('authorization', await auth.bearer(CUSTOMER));

    expect(res.status).toBe(403);
    expect(problemOf(res).detail).toBe("only admins may read another user's notifications");
  });

  it("given an admin, when naming a user, then that user's history, with the providers' errors", async () => {
    const res = await app().api.get('/api/notifications').query({ userId: CUSTOMER.userId }).set('authorization', await auth.bearer(ADMIN));

    expect(res.status).toBe(200);
    expect((res.body as { items: { lastError?: string }[] }).items.map((i) => i.lastError)).toEqual([undefined, '550 mailbox unavailable', undefined]);
  });

  it('given a cursor this API never made, or a page size out of range, when listing, then 400 naming each query field', async () => {
    const res = await app().api.get('/api/notifications').query({ cursor: 'bm90IGEgY3Vyc29y', limit: 500 }).set('authorization', await auth.bearer(CUSTOMER));

    expect(res.status).toBe(400);
    expect(problemOf(res).errors?.map((e) => e.field).sort()).toEqual(['query.cursor', 'query.limit']);
  });

  it('given no token, when listing, then 401', async () => {
    expect((await app().api.get('/api/notifications')).status).toBe(401);
  });

  it("given a browser's subscription, when posted twice, then 201 both times and one stored subscription, the caller's", async () => {
    const { api, subscriptions } = app();
    const bearer = await auth.bearer(CUSTOMER);
    const body = { endpoint: 'https://fcm.googleapis.com/fcm/send/abc', expirationTime: null, keys: browserKeys() };

    const first = await api.post('/api/notifications/push-subscriptions').set('authorization', bearer).send(body);
    const again = await api.post('/api/notifications/push-subscriptions').set('authorization', bearer).send(body);

    expect([first.status, again.status]).toEqual([201, 201]);
    expect(first.body).toEqual({ endpoint: body.endpoint });
    expect([...subscriptions.saved.values()]).toEqual([{ userId: CUSTOMER.userId, subscription: { endpoint: body.endpoint, keys: body.keys } }]);
  });

  it('given keys of the wrong length and an http endpoint, when subscribing, then 400 naming each field', async () => {
    const body = { endpoint: 'http://push.example.com/abc', keys: { p256dh: Buffer.alloc(33, 4).toString('base64url'), auth: 'not base64url!' } };

    const res = await app().api.post('/api/notifications/push-subscriptions').set('authorization', await auth.bearer(CUSTOMER)).send(body);

    expect(res.status).toBe(400);
    expect(problemOf(res).errors).toEqual([
      { field: 'body.endpoint', message: 'must be an https URL' },
      { field: 'body.keys.p256dh', message: 'must decode to the 65 bytes of an uncompressed P-256 public key' },
      { field: 'body.keys.auth', message: 'must be base64url' },
    ]);
  });

  it('given an endpoint that is no URL at all, when subscribing, then 400 naming the endpoint, not a 500', async () => {
    const res = await app().api.post('/api/notifications/push-subscriptions').set('authorization', await auth.bearer(CUSTOMER)).send({ endpoint: '', keys: browserKeys() });

    expect(res.status).toBe(400);
    expect(problemOf(res).errors?.map(({ field }) => field)).toEqual(['body.endpoint']);
  });

  it('given a local push service allowed, when subscribing an http loopback endpoint, then 201, while another http host stays refused', async () => {
    const { api } = app({ allowLoopbackHttp: true });
    const bearer = await auth.bearer(CUSTOMER);
    const keys = browserKeys();

    const loopback = await api.post('/api/notifications/push-subscriptions').set('authorization', bearer).send({ endpoint: 'http://127.0.0.1:9000/push/1', keys });
    const remote = await api.post('/api/notifications/push-subscriptions').set('authorization', bearer).send({ endpoint: 'http://push.example.com/1', keys });

    expect(loopback.status).toBe(201);
    expect(remote.status).toBe(400);
    expect(problemOf(remote).errors).toEqual([{ field: 'body.endpoint', message: 'must be an https URL, or http on a loopback host' }]);
  });

  it("given a subscription, when its owner deletes it, then 204 and it is gone; another user's delete changes nothing", async () => {
    const { api, subscriptions } = app();
    const endpoint = 'https://fcm.googleapis.com/fcm/send/mine';
    await api.post('/api/notifications/push-subscriptions').set('authorization', await auth.bearer(CUSTOMER)).send({ endpoint, keys: browserKeys() });

    const byOther = await api.delete('/api/notifications/push-subscriptions').query({ endpoint }).set('authorization', await auth.bearer(OTHER));
    expect(byOther.status).toBe(204);
    expect(subscriptions.saved.has(endpoint)).toBe(true);

    const byOwner = await api.delete('/api/notifications/push-subscriptions').query({ endpoint }).set('authorization', await auth.bearer(CUSTOMER));
    expect(byOwner.status).toBe(204);
    expect(subscriptions.saved.has(endpoint)).toBe(false);
  });

  it('given a delete without an endpoint, when sent, then 400 naming query.endpoint', async () => {
    const res = await app().api.delete('/api/notifications/push-subscriptions').set('authorization', await auth.bearer(CUSTOMER));

    expect(res.status).toBe(400);
    expect(problemOf(res).errors?.map((e) => e.field)).toEqual(['query.endpoint']);
  });

  it('given anyone, when asking for the push public key, then the VAPID public key, no token needed', async () => {
    const res = await app().api.get('/api/notifications/push-public-key');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ publicKey: VAPID_PUBLIC_KEY });
  });

  it('given the routes, when the OpenAPI document is read, then it describes each of them', async () => {
    const res = await app().api.get('/openapi.json');

    expect(Object.keys((res.body as { paths: Record<string, unknown> }).paths).sort()).toEqual([
      '/api/notifications',
      '/api/notifications/push-public-key',
      '/api/notifications/push-subscriptions',
    ]);
  });
});
