import { randomUUID } from 'node:crypto';
import { pageOf, problemOf, type ProductBody, productOf } from './support/http.js';
import { eventually, SERVER_TEST_TIMEOUT_MS, useProductService } from './support/service.js';

describe('Product API against PostgreSQL, Kafka and FerretDB', () => {
  const service = useProductService();
  const { api } = service;
  let admin: string;
  let kitchen: string;

  beforeAll(async () => {
    admin = await service.bearer(['admin']);
    const created = await api().post('/api/categories').set('authorization', admin).send({ name: 'Kitchen' });
    expect(created.status).toBe(201);
    kitchen = (created.body as { id: string }).id;
    // The category's read model is projected from its own topic, apart from the products': until it
    // has the category, a product's detail names no category, so the specs start once it has.
    await eventually(async () => {
      const { items } = (await api().get('/api/categories')).body as { items: { id: string }[] };
      return items.some((item) => item.id === kitchen) ? true : undefined;
    });
  }, SERVER_TEST_TIMEOUT_MS);

  const createProduct = (fields: Record<string, unknown>, authorization = admin) =>
    api()
      .post('/api/products')
      .set('authorization', authorization)
      .send({ name: 'Stovetop kettle', categoryId: kitchen, price: { amountMinor: 3_990, currency: 'EUR' }, ...fields });

  /** GET the product once the read model shows it at `version` or later. */
  const detailAt = (id: string, version: number, authorization?: string): Promise<ProductBody> =>
    eventually(async () => {
      const req = api().get(`/api/products/${id}`);
      const res = await (authorization === undefined ? req : req.set('authorization', authorization));
      return res.status === 200 && productOf(res).version >= version ? productOf(res) : undefined;
    });

  it('given a token of the user service’s issuer with the admin role, when creating a product, then 201', async () => {
    const res = await createProduct({ sku: 'TOKEN-1' });

    expect(res.status).toBe(201);
    expect(productOf(res)).toMatchObject({ sku: 'TOKEN-1', active: true, version: 1 });
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a customer token, when creating a product, then 403; given none, then 401', async () => {
    const customer = await service.bearer(['customer']);

    expect((await createProduct({ sku: 'TOKEN-2' }, customer)).status).toBe(403);
    expect((await api().post('/api/products').send({ sku: 'TOKEN-3' })).status).toBe(401);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given bad JSON, a missing field or a wrong type, when creating a product, then 400 names the field', async () => {
    const malformed = await api().post('/api/products').set('authorization', admin).set('content-type', 'application/json').send('{"sku":');
    const missing = await createProduct({ sku: undefined });
    const wrongType = await createProduct({ sku: 'TYPE-1', active: 'yes' });

    expect(problemOf(malformed).errors).toEqual([{ field: 'body', message: 'malformed JSON' }]);
    expect(problemOf(missing).errors).toEqual([{ field: 'body.sku', message: 'Required' }]);
    expect(problemOf(wrongType).errors).toEqual([{ field: 'body.active', message: 'Invalid input: expected boolean, received string' }]);
    expect([malformed.status, missing.status, wrongType.status]).toEqual([400, 400, 400]);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a category that does not exist, when creating a product, then 422 names body.categoryId', async () => {
    const res = await createProduct({ sku: 'NOCAT-1', categoryId: randomUUID() });

    expect(res.status).toBe(422);
    expect(problemOf(res).errors).toEqual([{ field: 'body.categoryId', message: 'names no category' }]);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a product, when it is updated, then detail and listing show the update once the read model has applied it', async () => {
    const created = await createProduct({ sku: 'FLOW-1', name: 'Flow kettle', description: 'Enamelled steel' });
    const { id } = productOf(created);
    expect((await detailAt(id, 1)).category).toEqual({ id: kitchen, name: 'Kitchen' });
    const listed = await eventually(async () => {
      const res = await api().get('/api/products?q=flow');
      return pageOf(res).items.length === 1 ? pageOf(res) : undefined;
    });
    expect(listed.items[0]?.id).toBe(id);

    const updated = await api()
      .patch(`/api/products/${id}`)
      .set('authorization', admin)
      .send({ name: 'Flow kettle XL', price: { amountMinor: 4_990, currency: 'EUR' } });

    expect(updated.status).toBe(200);
    expect(await detailAt(id, 2)).toMatchObject({ name: 'Flow kettle XL', price: { amountMinor: 4_990, currency: 'EUR', amount: '49.90' }, version: 2 });
    const relisted = await api().get('/api/products?q=FLOW%20xl');
    expect(pageOf(relisted).items.map((item) => item.name)).toEqual(['Flow kettle XL']);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a product read once, when read again with its ETag, then 304 until it changes', async () => {
    const { id } = productOf(await createProduct({ sku: 'ETAG-1' }));
    const first = await eventually(async () => {
      const res = await api().get(`/api/products/${id}`);
      return res.status === 200 ? res : undefined;
    });
    const etag = first.headers.etag ?? '';
    expect(etag).toBe(`"${id}.1"`);

    const unchanged = await api().get(`/api/products/${id}`).set('if-none-match', etag);
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');

    expect((await api().patch(`/api/products/${id}`).set('authorization', admin).send({ name: 'Renamed' })).status).toBe(200);
    await detailAt(id, 2);
    const changed = await api().get(`/api/products/${id}`).set('if-none-match', etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).toBe(`"${id}.2"`);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given 12 concurrent creations of ABC-1 and abc-1, when they race, then exactly one is 201 and the rest 409 naming body.sku', async () => {
    const spellings = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? 'ABC-1' : 'abc-1'));

    const responses = await Promise.all(spellings.map((sku, i) => createProduct({ sku, name: `Racer ${i}` })));

    const created = responses.filter((res) => res.status === 201);
    const refused = responses.filter((res) => res.status === 409);
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(11);
    for (const res of refused) expect(problemOf(res).errors).toEqual([{ field: 'body.sku', message: 'belongs to another product' }]);
    const creations = (await service.store.readAll(0, 10_000)).filter(
      ({ event }) => event.eventType === 'ProductCreated' && event.payload.sku.toLowerCase() === 'abc-1',
    );
    expect(creations.map(({ event }) => event.aggregateId)).toEqual(created.map((res) => productOf(res).id));
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a listed product, when it is deactivated, then the listing hides it and only an admin still reads it', async () => {
    const { id } = productOf(await createProduct({ sku: 'HIDE-1', name: 'Hidden kettle' }));
    await eventually(async () => (pageOf(await api().get('/api/products?q=hidden')).items.length === 1 ? true : undefined));

    expect((await api().post(`/api/products/${id}/deactivate`).set('authorization', admin)).status).toBe(200);

    await eventually(async () => (pageOf(await api().get('/api/products?q=hidden')).items.length === 0 ? true : undefined));
    expect((await api().get(`/api/products/${id}`)).status).toBe(404);
    expect(await detailAt(id, 2, admin)).toMatchObject({ active: false });
  }, SERVER_TEST_TIMEOUT_MS);

  it('given products of a category, when the category is renamed, then detail and listing show its new name', async () => {
    const category = await api().post('/api/categories').set('authorization', admin).send({ name: 'Garden' });
    const gardenId = (category.body as { id: string }).id;
    const { id } = productOf(await createProduct({ sku: 'HOSE-1', name: 'Garden hose', categoryId: gardenId }));
    expect((await detailAt(id, 1)).category.name).toBe('Garden');

    expect((await api().patch(`/api/categories/${gardenId}`).set('authorization', admin).send({ name: 'Outdoors' })).status).toBe(200);

    const renamed = await eventually(async () => {
      const res = await api().get(`/api/products?category=${gardenId}`);
      return pageOf(res).items[0]?.category.name === 'Outdoors' ? pageOf(res) : undefined;
    });
    expect(renamed.items.map((item) => item.id)).toEqual([id]);
    expect((await detailAt(id, 1)).category).toEqual({ id: gardenId, name: 'Outdoors' });
    const categories = (await api().get('/api/categories')).body as { items: { name: string }[] };
    expect(categories.items.map((item) => item.name)).toEqual(['Kitchen', 'Outdoors']);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given products in two currencies, when paging by price with a cursor, then each appears once, in order, under inserts', async () => {
    const category = await api().post('/api/categories').set('authorization', admin).send({ name: 'Paging' });
    const paging = (category.body as { id: string }).id;
    const prices = [500, 100, 300, 200, 400];
    for (const [i, amountMinor] of prices.entries()) {
      expect((await createProduct({ sku: `PAGE-${i}`, name: `Page ${i}`, categoryId: paging, price: { amountMinor, currency: 'EUR' } })).status).toBe(201);
    }
    expect((await createProduct({ sku: 'PAGE-KRW', name: 'Page won', categoryId: paging, price: { amountMinor: 1, currency: 'KRW' } })).status).toBe(201);
    const listing = (cursor?: string, limit = 2) =>
      api().get(`/api/products?category=${paging}&sort=price&limit=${limit}${cursor === undefined ? '' : `&cursor=${cursor}`}`);
    await eventually(async () => (pageOf(await listing(undefined, 10)).items.length === 6 ? true : undefined));

    const first = pageOf(await listing());
    // A cheaper product inserted before the page already read must not shift the next page.
    expect((await createProduct({ sku: 'PAGE-CHEAP', name: 'Page cheap', categoryId: paging, price: { amountMinor: 50, currency: 'EUR' } })).status).toBe(201);
    await eventually(async () => (pageOf(await listing(undefined, 10)).items.length === 7 ? true : undefined));
    const second = pageOf(await listing(first.nextCursor));
    const third = pageOf(await listing(second.nextCursor));

    expect([...first.items, ...second.items, ...third.items].map((item) => `${item.price.currency} ${item.price.amountMinor}`)).toEqual([
      'EUR 100',
      'EUR 200',
      'EUR 300',
      'EUR 400',
      'EUR 500',
      'KRW 1',
    ]);
    expect(third.nextCursor).toBeUndefined();
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a cursor that is not one, when listing, then 400 problem+json names query.cursor', async () => {
    const res = await api().get('/api/products?cursor=eyJ4Ijox');

    expect(res.status).toBe(400);
    expect(problemOf(res).errors).toEqual([{ field: 'query.cursor', message: 'is not a cursor this listing returned' }]);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given the service, when readiness is asked, then PostgreSQL, MongoDB and the read-model consumer are up', async () => {
    const res = await eventually(async () => {
      const ready = await api().get('/health/ready');
      return ready.status === 200 ? ready : undefined;
    });

    expect(JSON.stringify(res.body)).toMatch(/product\.read-model/);
  }, SERVER_TEST_TIMEOUT_MS);
});
