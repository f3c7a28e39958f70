import { randomUUID } from 'node:crypto';
import type { Principal } from '@msa/platform';
import { createTestAuth, routeTestApp } from '@msa/platform/testing';
import request from 'supertest';
import { mapOrderError } from '../../../src/adapters/http/errors.js';
import { orderRoutes } from '../../../src/adapters/http/routes.js';
import { type FakeOrderPorts, fakeOrderPorts } from '../../support/fake-ports.js';
import { orderOf, pageOf, problemOf } from '../../support/http.js';

const kettle = randomUUID();
const teapot = randomUUID();
const won = randomUUID();
const retired = randomUUID();
const kim: Principal = { userId: randomUUID(), email: 'kim@example.com', roles: ['customer'] };
const lee: Principal = { userId: randomUUID(), email: 'lee@example.com', roles: ['customer'] };
const ops: Principal = { userId: randomUUID(), email: 'ops@example.com', roles: ['admin'] };
const payment = { method: 'CARD', token: 'pm_card_visa' };

describe('Order routes against fake ports', () => {
  let ports: FakeOrderPorts;
  let api: () => ReturnType<typeof request>;
  let asKim: string;
  let asLee: string;
  let asOps: string;
  let minute: number;

  beforeEach(async () => {
    minute = 0;
    // Each order a minute after the last, so listings have an order to keep.
    const clock = () => new Date(Date.UTC(2025, 2, 1, 9, minute));
    ports = fakeOrderPorts(randomUUID, clock);
    ports.list({ productId: kettle, price: { amountMinor: 3_990, currency: 'EUR' }, active: true });
    ports.list({ productId: teapot, price: { amountMinor: 2_500, currency: 'EUR' }, active: true });
    ports.list({ productId: won, price: { amountMinor: 59_000, currency: 'KRW' }, active: true });
    ports.list({ productId: retired, price: { amountMinor: 1_000, currency: 'EUR' }, active: false });
    const auth = await createTestAuth();
    const routes = orderRoutes({ commands: ports.commands, reads: ports.reads, authenticated: auth.requireAuth(), pageSize: { defaultLimit: 2, maxLimit: 5 } });
    const { app } = routeTestApp({ routes, mapError: mapOrderError, clock });
    api = () => request(app);
    [asKim, asLee, asOps] = await Promise.all([auth.bearer(kim), auth.bearer(lee), auth.bearer(ops)]);
  });

  const place = (body: object = { items: [{ productId: kettle, quantity: 2 }, { productId: teapot, quantity: 1 }], payment }, authorization = asKim, key?: string) => {
    minute += 1;
    const req = api().post('/api/orders').set('authorization', authorization);
    return (key === undefined ? req : req.set('idempotency-key', key)).send(body);
  };

  describe('POST /api/orders', () => {
    it('given listed products, when a customer orders them, then 201 with the list prices, line totals, the total and the method but never the token', async () => {
      const res = await place();

      expect(res.status).toBe(201);
      expect(orderOf(res)).toMatchObject({
        userId: kim.userId,
        status: 'CREATED',
        items: [
          { productId: kettle, quantity: 2, unitPrice: { amountMinor: 3_990, currency: 'EUR' }, lineTotal: { amountMinor: 7_980, currency: 'EUR' } },
          { productId: teapot, quantity: 1, unitPrice: { amountMinor: 2_500, currency: 'EUR' }, lineTotal: { amountMinor: 2_500, currency: 'EUR' } },
        ],
        total: { amountMinor: 10_480, currency: 'EUR' },
        payment: { method: 'CARD' },
        version: 1,
      });
      expect(JSON.stringify(res.body)).not.toContain('pm_card_visa');
      expect(res.headers.location).toBe(`/api/orders/${orderOf(res).orderId}`);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
    });

    it('given no token, when ordering, then 401', async () => {
      expect((await api().post('/api/orders').send({ items: [{ productId: kettle, quantity: 1 }], payment })).status).toBe(401);
    });

    it('given a product the price list does not hold, when ordering it, then 422 names the line', async () => {
      const res = await place({ items: [{ productId: kettle, quantity: 1 }, { productId: randomUUID(), quantity: 1 }], payment });

      expect(res.status).toBe(422);
      expect(problemOf(res).errors).toEqual([{ field: 'body.items[1].productId', message: 'names no product for sale' }]);
    });

    it('given an inactive product, when ordering it, then 422 names the line', async () => {
      const res = await place({ items: [{ productId: retired, quantity: 1 }], payment });

      expect(res.status).toBe(422);
      expect(problemOf(res).errors).toEqual([{ field: 'body.items[0].productId', message: 'names a product that is not for sale' }]);
    });

    it('given lines in two currencies, when ordering, then 422 names the line in the other currency', async () => {
      const res = await place({ items: [{ productId: kettle, quantity: 1 }, { productId: won, quantity: 1 }], payment });

      expect(res.status).toBe(422);
      expect(problemOf(res).errors).toEqual([{ field: 'body.items[1].productId', message: "is priced in KRW, not in the order's EUR" }]);
    });

    it('given no lines, a zero quantity or a client-sent price, when ordering, then 400 names the field', async () => {
      const empty = await place({ items: [], payment });
      const zero = await place({ items: [{ productId: kettle, quantity: 0 }], payment });
      const priced = await place({ items: [{ productId: kettle, quantity: 1, unitPrice: { amountMinor: 1, currency: 'EUR' } }], payment });

      expect([empty.status, zero.status, priced.status]).toEqual([400, 400, 400]);
      expect((problemOf(empty).errors ?? []).map((e) => e.field)).toEqual(['body.items']);
      expect((problemOf(zero).errors ?? []).map((e) => e.field)).toEqual(['body.items[0].quantity']);
      expect((problemOf(priced).errors ?? []).map((e) => e.field)).toEqual(['body.items[0]']);
    });

    it('given an Idempotency-Key, when the same request is retried, then the first order comes back, marked replayed, and no second one is made', async () => {
      const first = await place(undefined, asKim, 'checkout-1');
      const retry = await place(undefined, asKim, 'checkout-1');

      expect([first.status, retry.status]).toEqual([201, 201]);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(pageOf(await api().get('/api/orders').set('authorization', asKim)).items).toHaveLength(1);
    });

    it('given an Idempotency-Key, when sent again with another body, then 422 names the header', async () => {
      await place(undefined, asKim, 'checkout-2');
      const res = await place({ items: [{ productId: kettle, quantity: 5 }], payment }, asKim, 'checkout-2');

      expect(res.status).toBe(422);
      expect(problemOf(res).errors).toEqual([{ field: 'headers.idempotency-key', message: 'was sent before with another request' }]);
    });

    it('given another user’s key, when the same key is sent, then it is a new order: keys are per user', async () => {
      const kims = await place(undefined, asKim, 'checkout-3');
      const lees = await place(undefined, asLee, 'checkout-3');

      expect(orderOf(lees).orderId).not.toBe(orderOf(kims).orderId);
      expect(lees.headers['idempotent-replayed']).toBeUndefined();
    });

    it('given a key with spaces or of 256 characters, when ordering, then 400 names the header', async () => {
      const spaced = await place(undefined, asKim, 'not a key');
      const long = await place(undefined, asKim, 'k'.repeat(256));

      expect([spaced.status, long.status]).toEqual([400, 400]);
      expect((problemOf(spaced).errors ?? []).map((e) => e.field)).toEqual(['headers.idempotency-key']);
    });
  });

  describe('GET /api/orders/:id', () => {
    it('given the owner, when reading the order, then 200 with the saga awaiting its reservation and its first step', async () => {
      const { orderId } = orderOf(await place());
      const res = await api().get(`/api/orders/${orderId}`).set('authorization', asKim);

      expect(res.status).toBe(200);
      expect(orderOf(res).saga).toEqual({
        state: 'AWAITING_RESERVATION',
        deadline: { awaiting: 'RESERVATION', at: '2025-03-01T09:02:00.000Z' },
        steps: [{ step: 'ORDER_PLACED', at: '2025-03-01T09:01:00.000Z', eventIds: [expect.any(String)] }],
      });
    });

    it('given another customer, when reading the order, then 404 as if it did not exist; given an admin, then 200', async () => {
      const { orderId } = orderOf(await place());

      expect((await api().get(`/api/orders/${orderId}`).set('authorization', asLee)).status).toBe(404);
      expect((await api().get(`/api/orders/${orderId}`).set('authorization', asOps)).status).toBe(200);
      expect((await api().get(`/api/orders/${randomUUID()}`).set('authorization', asOps)).status).toBe(404);
    });
  });

  describe('GET /api/orders', () => {
    it('given three orders, when listing two at a time, then newest first across pages by the cursor, and only the caller’s', async () => {
      const ids = [];
      for (let i = 0; i < 3; i += 1) ids.push(orderOf(await place()).orderId);
      await place(undefined, asLee);

      const first = pageOf(await api().get('/api/orders').set('authorization', asKim));
      const second = pageOf(await api().get(`/api/orders?cursor=${first.nextCursor ?? ''}`).set('authorization', asKim));

      expect(first.items.map((o) => o.orderId)).toEqual([ids[2], ids[1]]);
      expect(second.items.map((o) => o.orderId)).toEqual([ids[0]]);
      expect(second.nextCursor).toBeUndefined();
    });

    it('given a cursor that is not one, or one of another listing, when listing, then 400 names query.cursor', async () => {
      await place();
      await place();
      await place();
      const kims = pageOf(await api().get('/api/orders').set('authorization', asKim)).nextCursor ?? '';

      const made = await api().get('/api/orders?cursor=bogus!').set('authorization', asKim);
      const foreign = await api().get(`/api/orders?cursor=${kims}`).set('authorization', asOps);

      expect([made.status, foreign.status]).toEqual([400, 400]);
      expect(problemOf(made).errors).toEqual([{ field: 'query.cursor', message: 'is not a cursor this listing returned' }]);
      expect(problemOf(foreign).errors).toEqual([{ field: 'query.cursor', message: 'belongs to another listing; start again without it' }]);
    });

    it('given a customer naming another user, when listing, then 403; given an admin naming them, then their orders', async () => {
      const { orderId } = orderOf(await place());

      expect((await api().get(`/api/orders?userId=${kim.userId}`).set('authorization', asLee)).status).toBe(403);
      const listed = pageOf(await api().get(`/api/orders?userId=${kim.userId}`).set('authorization', asOps));
      expect(listed.items.map((o) => o.orderId)).toEqual([orderId]);
    });
  });

  describe('POST /api/orders/:id/cancel', () => {
    it('given an order awaiting its reservation, when its owner cancels, then 202 with the saga releasing the stock', async () => {
      const { orderId } = orderOf(await place());
      const res = await api().post(`/api/orders/${orderId}/cancel`).set('authorization', asKim);

      expect(res.status).toBe(202);
      expect(orderOf(res)).toMatchObject({ status: 'CREATED', saga: { state: 'RELEASING' } });
      expect(orderOf(res).saga?.steps.map((s) => s.step)).toEqual(['ORDER_PLACED', 'CANCEL_REQUESTED']);
    });

    it('given a cancel under way, when the release is in, then the order is CANCELLED and a second cancel is 409', async () => {
      const { orderId } = orderOf(await place());
      await api().post(`/api/orders/${orderId}/cancel`).set('authorization', asKim);
      await ports.deliver(orderId, { eventType: 'StockReleased', payload: { orderId, items: [], fromSold: false } });

      const read = orderOf(await api().get(`/api/orders/${orderId}`).set('authorization', asKim));
      const again = await api().post(`/api/orders/${orderId}/cancel`).set('authorization', asKim);

      expect(read).toMatchObject({ status: 'CANCELLED', cancellation: { reason: 'CUSTOMER_REQUEST' } });
      expect(again.status).toBe(409);
    });

    it('given another customer’s order, when cancelling it, then 404 and the order is untouched', async () => {
      const { orderId } = orderOf(await place());

      expect((await api().post(`/api/orders/${orderId}/cancel`).set('authorization', asLee)).status).toBe(404);
      expect(orderOf(await api().get(`/api/orders/${orderId}`).set('authorization', asKim)).saga?.state).toBe('AWAITING_RESERVATION');
    });
  });

  describe('GET /openapi.json', () => {
    it('given the routes, when the document is read, then every route is there with its schemas and problem statuses', async () => {
      const doc = (await api().get('/openapi.json')).body as {
        paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
        components: { schemas: Record<string, unknown> };
      };
      const statuses = (path: string, method: string) => Object.keys(doc.paths[path]?.[method]?.responses ?? {});

      expect(Object.keys(doc.paths).sort()).toEqual(['/api/orders', '/api/orders/{id}', '/api/orders/{id}/cancel']);
      expect(statuses('/api/orders', 'post')).toEqual(expect.arrayContaining(['201', '400', '401', '422']));
      expect(statuses('/api/orders/{id}', 'get')).toEqual(expect.arrayContaining(['200', '401', '404']));
      expect(statuses('/api/orders/{id}/cancel', 'post')).toEqual(expect.arrayContaining(['202', '404', '409']));
      expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['PlaceOrderRequest', 'Order', 'OrderDetail', 'OrderSaga', 'OrderPage']));
    });
  });
});
