import { localServers } from '@msa/local';
import { pageOf, productOf } from './support/http.js';
import { eventually, SERVER_TEST_TIMEOUT_MS, type SharedTestService, useProductService } from './support/service.js';

/** A category and a product in it, once the read model shows the product: its id. */
async function productInCatalog(service: SharedTestService, admin: string, sku: string): Promise<{ id: string; categoryId: string }> {
  const category = await service.api().post('/api/categories').set('authorization', admin).send({ name: `Shelf ${sku}` });
  const categoryId = (category.body as { id: string }).id;
  const created = await service
    .api()
    .post('/api/products')
    .set('authorization', admin)
    .send({ sku, name: `Cached kettle ${sku}`, categoryId, price: { amountMinor: 3_990, currency: 'EUR' } });
  expect(created.status).toBe(201);
  const { id } = productOf(created);
  await eventually(async () => {
    const res = await service.api().get(`/api/products/${id}`);
    return res.status === 200 ? true : undefined;
  });
  return { id, categoryId };
}

describe('Product read cache on Redis', () => {
  const service = useProductService({ environment: { REDIS_URL: localServers().redisUrl } });
  const { api } = service;
  let admin: string;

  beforeAll(async () => {
    admin = await service.bearer(['admin']);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a product update, when detail and listing were cached, then the next reads once the read model shows it are fresh', async () => {
    const { id, categoryId } = await productInCatalog(service, admin, 'CACHE-1');
    const listing = () => api().get(`/api/products?category=${categoryId}&q=kettle`);
    await api().get(`/api/products/${id}`);
    await listing();

    const cachedDetail = await api().get(`/api/products/${id}`);
    const cachedListing = await listing();
    expect(cachedDetail.headers['x-cache']).toBe('hit');
    expect(cachedListing.headers['x-cache']).toBe('hit');

    expect((await api().patch(`/api/products/${id}`).set('authorization', admin).send({ name: 'Renamed kettle' })).status).toBe(200);

    const fresh = await eventually(async () => {
      const res = await api().get(`/api/products/${id}`);
      return productOf(res).version === 2 ? res : undefined;
    });
    expect(productOf(fresh).name).toBe('Renamed kettle');
    const freshListing = await listing();
    expect(pageOf(freshListing).items.map((item) => item.name)).toEqual(['Renamed kettle']);
    expect(freshListing.headers['x-cache']).toBe('miss');
    expect((await listing()).headers['x-cache']).toBe('hit');
  }, SERVER_TEST_TIMEOUT_MS);

  it('given cached details of a category’s product, when the category is renamed, then detail and listing show the new name', async () => {
    const { id, categoryId } = await productInCatalog(service, admin, 'CACHE-2');
    await api().get(`/api/products/${id}`);
    expect((await api().get(`/api/products/${id}`)).headers['x-cache']).toBe('hit');

    expect((await api().patch(`/api/categories/${categoryId}`).set('authorization', admin).send({ name: 'Renamed shelf' })).status).toBe(200);

    const renamed = await eventually(async () => {
      const res = await api().get(`/api/products/${id}`);
      return productOf(res).category.name === 'Renamed shelf' ? res : undefined;
    });
    expect(productOf(renamed).version).toBe(1);
    expect(pageOf(await api().get(`/api/products?category=${categoryId}`)).items[0]?.category.name).toBe('Renamed shelf');
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a product read before it existed, when it is created, then the cached "none" gives way to it', async () => {
    const category = await api().post('/api/categories').set('authorization', admin).send({ name: 'Shelf early' });
    const categoryId = (category.body as { id: string }).id;
    const created = await api()
      .post('/api/products')
      .set('authorization', admin)
      .send({ sku: 'CACHE-3', name: 'Early kettle', categoryId, price: { amountMinor: 100, currency: 'EUR' } });
    const { id } = productOf(created);

    // Read at once: the read model may not have it yet, and that answer may be cached.
    await api().get(`/api/products/${id}`);

    const found = await eventually(async () => {
      const res = await api().get(`/api/products/${id}`);
      return res.status === 200 ? res : undefined;
    });
    expect(productOf(found).name).toBe('Early kettle');
  }, SERVER_TEST_TIMEOUT_MS);
});

describe('Product API with Redis unreachable', () => {
  // A port nothing listens on: every Redis command fails at once.
  const service = useProductService({ environment: { REDIS_URL: 'redis://127.0.0.1:1' } });
  const { api } = service;

  it('given Redis is unreachable, when products are read, then the API answers from the read model and readiness says degraded', async () => {
    const admin = await service.bearer(['admin']);
    const { id, categoryId } = await productInCatalog(service, admin, 'NOREDIS-1');

    const detail = await api().get(`/api/products/${id}`);
    const listing = await api().get(`/api/products?category=${categoryId}`);
    const ready = await api().get('/health/ready');

    expect(detail.status).toBe(200);
    expect(detail.headers['x-cache']).toBe('bypass');
    expect(pageOf(listing).items.map((item) => item.id)).toEqual([id]);
    expect(listing.headers['x-cache']).toBe('bypass');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'degraded' });
    expect((ready.body as { checks: unknown[] }).checks).toContainEqual(expect.objectContaining({ name: 'redis', status: 'down', optional: true }));
  }, SERVER_TEST_TIMEOUT_MS);
});
