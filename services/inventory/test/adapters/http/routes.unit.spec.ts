import { randomUUID } from 'node:crypto';
import type { Principal, Problem } from '@msa/platform';
import { createTestAuth, routeTestApp } from '@msa/platform/testing';
import request from 'supertest';
import { inventoryRoutes } from '../../../src/adapters/http/routes.js';
import { MAX_UNITS } from '../../../src/domain/stock-decider.js';
import { type FakeInventoryPorts, fakeInventoryPorts } from '../../support/fake-ports.js';

const admin: Principal = { userId: randomUUID(), email: 'ops@example.com', roles: ['admin'] };
const customer: Principal = { userId: randomUUID(), email: 'kim@example.com', roles: ['customer'] };

function problemOf(res: request.Response): Problem {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.body as Problem;
}

describe('Inventory routes against fake ports', () => {
  let ports: FakeInventoryPorts;
  let api: () => ReturnType<typeof request>;
  let asAdmin: string;
  let asCustomer: string;
  const kettle = randomUUID();
  const teapot = randomUUID();

  beforeEach(async () => {
    const auth = await createTestAuth();
    ports = fakeInventoryPorts(2);
    ports.open(kettle);
    ports.open(teapot);
    const routes = inventoryRoutes({ commands: ports.commands, queries: ports.queries, adminOnly: auth.requireAuth(['admin']) });
    const { app } = routeTestApp({ routes });
    api = () => request(app);
    asAdmin = await auth.bearer(admin);
    asCustomer = await auth.bearer(customer);
  });

  const restock = (productId: string, body: object, authorization = asAdmin) =>
    api().post(`/api/inventory/${productId}/restock`).set('authorization', authorization).send(body);

  describe('POST /api/inventory/:productId/restock', () => {
    it('given an admin, when restocking 10 units, then 200 with the stock after them', async () => {
      const res = await restock(kettle, { quantity: 10, note: 'delivery 17' });

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ productId: kettle, available: 10, reserved: 0, sold: 0, received: 10, lowWaterMark: 2, version: 2 });
    });

    it('given a customer token, when restocking, then 403', async () => {
      expect((await restock(kettle, { quantity: 10 }, asCustomer)).status).toBe(403);
    });

    it('given no token, when restocking, then 401', async () => {
      expect((await api().post(`/api/inventory/${kettle}/restock`).send({ quantity: 10 })).status).toBe(401);
    });

    it('given a product without a stock record, when restocking, then a 404 problem', async () => {
      const res = await restock(randomUUID(), { quantity: 10 });

      expect(res.status).toBe(404);
      expect(problemOf(res).status).toBe(404);
    });

    it('given a quantity of 0, when restocking, then a 400 naming body.quantity', async () => {
      const res = await restock(kettle, { quantity: 0 });

      expect(res.status).toBe(400);
      expect(JSON.stringify(problemOf(res))).toContain('body.quantity');
    });

    it('given a field the API does not know, when restocking, then 400', async () => {
      expect((await restock(kettle, { quantity: 1, price: 5 })).status).toBe(400);
    });

    it('given units near the counting limit, when a restock would pass it, then a 422 naming body.quantity', async () => {
      expect((await restock(kettle, { quantity: MAX_UNITS - 1 })).status).toBe(200);

      const res = await restock(kettle, { quantity: 2 });

      expect(res.status).toBe(422);
      expect(JSON.stringify(problemOf(res))).toContain('body.quantity');
    });

    it('given a product id that is not a UUID, when restocking, then 400', async () => {
      expect((await restock('kettle', { quantity: 1 })).status).toBe(400);
    });
  });

  describe('GET /api/inventory/:productId', () => {
    it('given no token, when reading an opened record, then 200 with no units', async () => {
      const res = await api().get(`/api/inventory/${kettle}`);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ productId: kettle, available: 0, reserved: 0, sold: 0, received: 0, lowWaterMark: 2, version: 1 });
    });

    it('given an unknown product, when read, then a 404 problem', async () => {
      const res = await api().get(`/api/inventory/${randomUUID()}`);

      expect(res.status).toBe(404);
      expect(problemOf(res).status).toBe(404);
    });
  });

  describe('GET /api/inventory?productIds=', () => {
    it('given an admin, when listing two products and an unknown one, then the two records by product id', async () => {
      await restock(teapot, { quantity: 3 });

      const res = await api().get('/api/inventory').query({ productIds: `${teapot},${kettle},${randomUUID()}` }).set('authorization', asAdmin);

      expect(res.status).toBe(200);
      const items = (res.body as { items: { productId: string; available: number }[] }).items;
      expect(items.map(({ productId, available }) => [productId, available])).toEqual(
        [
          [kettle, 0],
          [teapot, 3],
        ].sort(([a], [b]) => String(a).localeCompare(String(b))),
      );
    });

    it('given a customer token, when listing, then 403', async () => {
      expect((await api().get('/api/inventory').query({ productIds: kettle }).set('authorization', asCustomer)).status).toBe(403);
    });

    it('given an id that is not a UUID, when listing, then 400 naming the query', async () => {
      const res = await api().get('/api/inventory').query({ productIds: `${kettle},nope` }).set('authorization', asAdmin);

      expect(res.status).toBe(400);
      expect(JSON.stringify(problemOf(res))).toContain('productIds');
    });

    it('given no productIds, when listing, then 400', async () => {
      expect((await api().get('/api/inventory').set('authorization', asAdmin)).status).toBe(400);
    });
  });
});
