import { randomUUID } from 'node:crypto';
import type { Principal } from '@msa/platform';
import { createTestAuth, routeTestApp, type TestAuth } from '@msa/platform/testing';
import request from 'supertest';
import { productRoutes } from '../../../src/adapters/http/routes.js';
import { fakeCatalogPorts } from '../../support/fake-ports.js';
import { pageOf, problemOf, productOf } from '../../support/http.js';

const admin: Principal = { userId: randomUUID(), email: 'ops@example.com', roles: ['admin'] };
const customer: Principal = { userId: randomUUID(), email: 'kim@example.com', roles: ['customer'] };

describe('Product routes against fake ports', () => {
  let auth: TestAuth;
  let api: () => ReturnType<typeof request>;
  let asAdmin: string;
  let asCustomer: string;
  let kitchen: string;

  // Every test gets a service of its own: empty stores, fresh keys, and one category.
  beforeEach(async () => {
    auth = await createTestAuth();
    const { commands, reads } = fakeCatalogPorts();
    const routes = productRoutes({
      commands,
      reads,
      adminOnly: auth.requireAuth(['admin']),
      newId: randomUUID,
      pageSize: { defaultLimit: 2, maxLimit: 5 },
    });
    const { app } = routeTestApp({ routes, clock: () => new Date('2025-03-01T09:30:00.000Z') });
    api = () => request(app);
    asAdmin = await auth.bearer(admin);
    asCustomer = await auth.bearer(customer);
    kitchen = ((await createCategory('Kitchen')).body as { id: string }).id;
  });

  function createCategory(name: string) {
    return api().post('/api/categories').set('authorization', asAdmin).send({ name });
  }

  function createProduct(fields: Record<string, unknown> = {}, authorization = asAdmin) {
    return api()
      .post('/api/products')
      .set('authorization', authorization)
      .send({ sku: 'KET-17', name: 'Stovetop kettle', categoryId: kitchen, price: { amountMinor: 3_990, currency: 'EUR' }, ...fields });
  }

  async function productId(fields: Record<string, unknown> = {}): Promise<string> {
    const res = await createProduct(fields);
    expect(res.status).toBe(201);
    return productOf(res).id;
  }

  const patch = (id: string, body: object) => api().patch(`/api/products/${id}`).set('authorization', asAdmin).send(body);

  describe('POST /api/products', () => {
    it('given an admin, when creating a product, then 201 with the product at version 1, its location and its ETag', async () => {
      const res = await createProduct({ description: 'Enamelled steel' });

      expect(res.status).toBe(201);
      const { id } = productOf(res);
      expect(res.headers.location).toBe(`/api/products/${id}`);
      expect(res.headers.etag).toBe(`"${id}.1"`);
      expect(productOf(res)).toEqual({
        id,
        sku: 'KET-17',
        name: 'Stovetop kettle',
        description: 'Enamelled steel',
        category: { id: kitchen },
        price: { amountMinor: 3_990, currency: 'EUR', amount: '39.90' },
        active: true,
        version: 1,
      });
    });

    it('given a customer token, when creating a product, then 403', async () => {
      expect((await createProduct({}, asCustomer)).status).toBe(403);
    });

    it('given no token, when creating a product, then 401 with a Bearer challenge', async () => {
      const res = await api().post('/api/products').send({});

      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it('given malformed JSON, when creating a product, then 400 names the body', async () => {
      const res = await api().post('/api/products').set('authorization', asAdmin).set('content-type', 'application/json').send('{"sku": ');

      expect(res.status).toBe(400);
      expect(problemOf(res).errors).toEqual([{ field: 'body', message: 'malformed JSON' }]);
    });

    it('given a missing name and a price in a string, when creating a product, then 400 names both fields', async () => {
      const res = await createProduct({ name: undefined, price: { amountMinor: '39.90', currency: 'EUR' } });

      expect(res.status).toBe(400);
      expect(problemOf(res).errors).toEqual([
        { field: 'body.name', message: 'Required' },
        { field: 'body.price.amountMinor', message: 'Invalid input: expected number, received string' },
      ]);
    });

    it('given an unknown currency and a SKU with spaces, when creating a product, then 400 names body.sku and body.price.currency', async () => {
      const res = await createProduct({ sku: 'KET 17', price: { amountMinor: 100, currency: 'XYZ' } });

      expect(res.status).toBe(400);
      expect(problemOf(res).errors?.map((error) => error.field)).toEqual(['body.sku', 'body.price.currency']);
    });

    it('given a category that does not exist, when creating a product, then 422 names body.categoryId', async () => {
      const res = await createProduct({ categoryId: randomUUID() });

      expect(res.status).toBe(422);
      expect(problemOf(res).errors).toEqual([{ field: 'body.categoryId', message: 'names no category' }]);
    });

    it('given a product with SKU KET-17, when another is created as ket-17, then 409 names body.sku', async () => {
      await productId();

      const res = await createProduct({ sku: 'ket-17', name: 'Another kettle' });

      expect(res.status).toBe(409);
      expect(problemOf(res)).toMatchObject({
        detail: 'the SKU ket-17 belongs to another product',
        errors: [{ field: 'body.sku', message: 'belongs to another product' }],
      });
    });
  });

  describe('PATCH /api/products/:id', () => {
    it('given a body naming the SKU of an update, when patching, then 400 names body.sku: the SKU never changes', async () => {
      const id = await productId();

      const res = await patch(id, { sku: 'KET-18' });

      expect(res.status).toBe(400);
      expect(problemOf(res).errors).toEqual([{ field: 'body', message: 'Unrecognized key: "sku"' }]);
    });

    it('given a product, when its price changes, then 200 with the new price at version 2', async () => {
      const id = await productId();

      const res = await patch(id, { price: { amountMinor: 59_900, currency: 'KRW' } });

      expect(res.status).toBe(200);
      expect(productOf(res)).toMatchObject({ price: { amountMinor: 59_900, currency: 'KRW', amount: '59900' }, version: 2 });
      expect(res.headers.etag).toBe(`"${id}.2"`);
    });

    it('given a product, when the update repeats its current values, then 200 with the product still at version 1', async () => {
      const id = await productId();

      const res = await patch(id, { name: 'Stovetop kettle', price: { amountMinor: 3_990, currency: 'EUR' } });

      expect(res.status).toBe(200);
      expect(productOf(res).version).toBe(1);
    });

    it('given a product, when the update names no field, then 400 about the body', async () => {
      const id = await productId();

      const res = await patch(id, {});

      expect(res.status).toBe(400);
      expect(problemOf(res).errors).toEqual([{ field: 'body', message: 'an update must name at least one of name, description, categoryId, price' }]);
    });

    it('given no such product, when patching it, then 404', async () => {
      expect((await patch(randomUUID(), { name: 'Kettle' })).status).toBe(404);
    });

    it('given an id that is not a uuid, when patching it, then 400 names params.id', async () => {
      const res = await patch('kettle', { name: 'Kettle' });

      expect(res.status).toBe(400);
      expect(problemOf(res).errors?.map((error) => error.field)).toEqual(['params.id']);
    });

    it('given a product, when it moves to a category that does not exist, then 422 names body.categoryId', async () => {
      const id = await productId();

      const res = await patch(id, { categoryId: randomUUID() });

      expect(res.status).toBe(422);
      expect(problemOf(res).errors).toEqual([{ field: 'body.categoryId', message: 'names no category' }]);
    });
  });

  describe('GET /api/products/:id', () => {
    it('given a product, when read, then 200 with its category’s name and a strong ETag of its version', async () => {
      const id = await productId();

      const res = await api().get(`/api/products/${id}`);

      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe(`"${id}.1"`);
      expect(res.headers['x-cache']).toBe('bypass');
      expect(productOf(res).category).toEqual({ id: kitchen, name: 'Kitchen' });
    });

    it('given the ETag of the current version, when read with If-None-Match, then 304 with no body', async () => {
      const id = await productId();
      const etag = (await api().get(`/api/products/${id}`)).headers.etag ?? '';

      const res = await api().get(`/api/products/${id}`).set('if-none-match', `"other", W/${etag}`);

      expect(res.status).toBe(304);
      expect(res.headers.etag).toBe(etag);
      expect(res.text).toBe('');
    });

    it('given an ETag of an earlier version, when read with If-None-Match, then 200 with the new ETag', async () => {
      const id = await productId();
      const etag = (await api().get(`/api/products/${id}`)).headers.etag ?? '';
      expect((await patch(id, { name: 'Kettle' })).status).toBe(200);

      const res = await api().get(`/api/products/${id}`).set('if-none-match', etag);

      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe(`"${id}.2"`);
      expect(productOf(res).name).toBe('Kettle');
    });

    it('given a deactivated product, when read without a token or with a customer’s, then 404', async () => {
      const id = await productId();
      expect((await api().post(`/api/products/${id}/deactivate`).set('authorization', asAdmin)).status).toBe(200);

      expect((await api().get(`/api/products/${id}`)).status).toBe(404);
      expect((await api().get(`/api/products/${id}`).set('authorization', asCustomer)).status).toBe(404);
    });

    it('given a deactivated product, when an admin reads it, then 200 showing it inactive', async () => {
      const id = await productId();
      await api().post(`/api/products/${id}/deactivate`).set('authorization', asAdmin);

      const res = await api().get(`/api/products/${id}`).set('authorization', asAdmin);

      expect(res.status).toBe(200);
      expect(productOf(res)).toMatchObject({ active: false, version: 2 });
    });

    it('given a deactivated product, when read with a broken token, then 401 rather than a silent 404', async () => {
      const id = await productId();
      await api().post(`/api/products/${id}/deactivate`).set('authorization', asAdmin);

      expect((await api().get(`/api/products/${id}`).set('authorization', 'Bearer not.a.token')).status).toBe(401);
    });

    it('given a reactivated product, when read without a token, then 200', async () => {
      const id = await productId();
      await api().post(`/api/products/${id}/deactivate`).set('authorization', asAdmin);

      const reactivated = await api().post(`/api/products/${id}/reactivate`).set('authorization', asAdmin);

      expect(productOf(reactivated)).toMatchObject({ active: true, version: 3 });
      expect((await api().get(`/api/products/${id}`)).status).toBe(200);
    });
  });

  describe('GET /api/products', () => {
    async function seed(): Promise<{ garden: string }> {
      const garden = ((await createCategory('Garden')).body as { id: string }).id;
      await productId({ sku: 'A-1', name: 'Whistling kettle', description: 'Steel, loud', price: { amountMinor: 2_500, currency: 'EUR' } });
      await productId({ sku: 'A-2', name: 'Stovetop kettle', description: 'Enamelled STEEL', price: { amountMinor: 3_990, currency: 'EUR' } });
      await productId({ sku: 'A-3', name: 'Garden hose', description: 'Steel fittings', categoryId: garden, price: { amountMinor: 1_999, currency: 'EUR' } });
      await productId({ sku: 'A-4', name: 'Copper kettle', price: { amountMinor: 9_900, currency: 'EUR' } });
      return { garden };
    }
    const names = (res: request.Response) => pageOf(res).items.map((item) => item.name);

    it('given products, when listed by name in pages of two, then the cursors walk through all of them once', async () => {
      await seed();

      const first = await api().get('/api/products?sort=name');
      const second = await api().get(`/api/products?sort=name&cursor=${pageOf(first).nextCursor ?? ''}`);

      expect(names(first)).toEqual(['Copper kettle', 'Garden hose']);
      expect(names(second)).toEqual(['Stovetop kettle', 'Whistling kettle']);
      expect(pageOf(second).nextCursor).toBeUndefined();
    });

    it('given products, when listed dearest first, then the price order holds across pages', async () => {
      await seed();

      const first = await api().get('/api/products?sort=-price&limit=3');
      const second = await api().get(`/api/products?sort=-price&limit=3&cursor=${pageOf(first).nextCursor ?? ''}`);

      expect([...names(first), ...names(second)]).toEqual(['Copper kettle', 'Stovetop kettle', 'Whistling kettle', 'Garden hose']);
    });

    it('given words in any case, when searching, then only products holding all of them in the name or description come back', async () => {
      await seed();

      const res = await api().get('/api/products?q=STEEL%20kettle&limit=5');

      expect(names(res)).toEqual(['Stovetop kettle', 'Whistling kettle']);
    });

    it('given a category, when listing it by price, then only its products come back', async () => {
      const { garden } = await seed();

      const res = await api().get(`/api/products?category=${garden}&sort=price`);

      expect(names(res)).toEqual(['Garden hose']);
      expect(pageOf(res).items[0]?.category).toEqual({ id: garden, name: 'Garden' });
    });

    it('given a deactivated product, when listing, then it is not among the products', async () => {
      await seed();
      const hidden = await productId({ sku: 'A-0', name: 'Aardvark kettle' });
      await api().post(`/api/products/${hidden}/deactivate`).set('authorization', asAdmin);

      expect(names(await api().get('/api/products?limit=5'))).not.toContain('Aardvark kettle');
    });

    it('given a cursor that is not one, when listing, then 400 problem+json names query.cursor', async () => {
      const res = await api().get('/api/products?cursor=bm90LWEtY3Vyc29y');

      expect(res.status).toBe(400);
      expect(problemOf(res).errors).toEqual([{ field: 'query.cursor', message: 'is not a cursor this listing returned' }]);
    });

    it('given a cursor of the name order, when listing by price with it, then 400 names query.cursor', async () => {
      await seed();
      const cursor = pageOf(await api().get('/api/products?sort=name')).nextCursor ?? '';

      const res = await api().get(`/api/products?sort=price&cursor=${cursor}`);

      expect(res.status).toBe(400);
      expect(problemOf(res).errors?.[0]?.field).toBe('query.cursor');
    });

    it('given a limit above the maximum and an unknown sort, when listing, then 400 names query.limit and query.sort', async () => {
      const res = await api().get('/api/products?limit=6&sort=sku');

      expect(res.status).toBe(400);
      expect(problemOf(res).errors?.map((error) => error.field).sort()).toEqual(['query.limit', 'query.sort']);
    });
  });

  describe('categories', () => {
    it('given categories, when listed, then they come by name', async () => {
      await createCategory('Garden');
      await createCategory('bathroom');

      const res = await api().get('/api/categories');

      expect((res.body as { items: { name: string }[] }).items.map((item) => item.name)).toEqual(['bathroom', 'Garden', 'Kitchen']);
    });

    it('given a product in a category, when the category is renamed, then the product shows the new name', async () => {
      const id = await productId();

      const renamed = await api().patch(`/api/categories/${kitchen}`).set('authorization', asAdmin).send({ name: 'Cookware' });

      expect(renamed.body).toEqual({ id: kitchen, name: 'Cookware', version: 2 });
      expect(productOf(await api().get(`/api/products/${id}`)).category).toEqual({ id: kitchen, name: 'Cookware' });
    });

    it('given no such category, when renaming it, then 404', async () => {
      expect((await api().patch(`/api/categories/${randomUUID()}`).set('authorization', asAdmin).send({ name: 'X' })).status).toBe(404);
    });

    it('given a customer, when creating a category, then 403', async () => {
      expect((await api().post('/api/categories').set('authorization', asCustomer).send({ name: 'X' })).status).toBe(403);
    });

    it('given a blank name, when creating a category, then 400 names body.name', async () => {
      const res = await createCategory('   ');

      expect(res.status).toBe(400);
      expect(problemOf(res).errors?.map((error) => error.field)).toEqual(['body.name']);
    });
  });

  describe('GET /openapi.json', () => {
    it('given the routes, when the document is read, then every route is there with its schemas and problem statuses', async () => {
      const doc = (await api().get('/openapi.json')).body as {
        paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>>;
        components: { schemas: Record<string, unknown> };
      };
      const statuses = (path: string, method: string) => Object.keys(doc.paths[path]?.[method]?.responses ?? {});

      expect(Object.keys(doc.paths).sort()).toEqual([
        '/api/categories',
        '/api/categories/{id}',
        '/api/products',
        '/api/products/{id}',
        '/api/products/{id}/deactivate',
        '/api/products/{id}/reactivate',
      ]);
      expect(statuses('/api/products', 'post')).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409', '422']));
      expect(statuses('/api/products/{id}', 'patch')).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '409', '422']));
      expect(statuses('/api/products/{id}', 'get')).toEqual(expect.arrayContaining(['200', '304', '400', '404']));
      expect(statuses('/api/products', 'get')).toEqual(expect.arrayContaining(['200', '400']));
      expect(doc.paths['/api/products']?.post?.requestBody).toBeDefined();
      expect(Object.keys(doc.components.schemas)).toEqual(
        expect.arrayContaining(['CreateProductRequest', 'UpdateProductRequest', 'CategoryRequest', 'Product', 'ProductPage', 'Category', 'CategoryList', 'Price']),
      );
    });
  });
});
