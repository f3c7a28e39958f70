import { deadLetterTopicFor } from '@msa/contracts';
import { localServers } from '@msa/local';
import { createKafka, mongoReadModel, rebuildReadModels, type RebuildResult, type VersionedDocument } from '@msa/platform';
import { productService } from '../src/app.js';
import { categoryReadModel } from '../src/adapters/mongo/category-read-model.js';
import { type ProductDocument, productReadModel } from '../src/adapters/mongo/product-read-model.js';
import { pageOf, productOf } from './support/http.js';
import { eventually, SERVER_TEST_TIMEOUT_MS, useProductService } from './support/service.js';

describe('Catalog read models: projection from Kafka and rebuild from the event store', () => {
  const service = useProductService();
  const { api } = service;
  let admin: string;

  beforeAll(async () => {
    admin = await service.bearer(['admin']);
  }, SERVER_TEST_TIMEOUT_MS);

  /** The stream version of every aggregate in the event store, by id. */
  async function storedVersions(): Promise<Map<string, number>> {
    const versions = new Map<string, number>();
    for (const { event } of await service.store.readAll(0, 10_000)) versions.set(event.aggregateId, event.version);
    return versions;
  }

  async function documents(): Promise<VersionedDocument[]> {
    const products = await (await mongoReadModel(service.mongo, productReadModel).collection()).find({}).sort({ _id: 1 }).toArray();
    const categories = await (await mongoReadModel(service.mongo, categoryReadModel).collection()).find({}).sort({ _id: 1 }).toArray();
    return [...products, ...categories];
  }

  it('given categories and products created, renamed, repriced and deactivated, when the consumer has run, then every document is at its stream version', async () => {
    const categoryIds: string[] = [];
    for (const name of ['Kitchen', 'Garden', 'Bathroom']) {
      const res = await api().post('/api/categories').set('authorization', admin).send({ name });
      categoryIds.push((res.body as { id: string }).id);
    }
    const [kitchen = '', garden = ''] = categoryIds;
    for (let i = 0; i < 10; i += 1) {
      const created = await api()
        .post('/api/products')
        .set('authorization', admin)
        .send({ sku: `RB-${i}`, name: `Rebuilt ${i}`, categoryId: i % 2 === 0 ? kitchen : garden, price: { amountMinor: 100 * (i + 1), currency: 'EUR' } });
      expect(created.status).toBe(201);
      const { id } = productOf(created);
      // Changed at once: the update may reach the read model before its creation, on another topic.
      if (i < 4) {
        const patched = await api().patch(`/api/products/${id}`).set('authorization', admin).send({ price: { amountMinor: 5 + i, currency: 'EUR' }, categoryId: garden });
        expect(patched.status).toBe(200);
      }
      if (i === 9) expect((await api().post(`/api/products/${id}/deactivate`).set('authorization', admin)).status).toBe(200);
    }
    expect((await api().patch(`/api/categories/${kitchen}`).set('authorization', admin).send({ name: 'Cookware' })).status).toBe(200);

    const caughtUp = await eventually(async () => {
      // Read again each time: the global log hides events above the oldest transaction in flight
      // anywhere on the server (other suites' too), so it may show fewer than the 13 streams written,
      // and documents that are as far behind would match it.
      const versions = await storedVersions();
      const docs = await documents();
      const caught = versions.size === 13 && docs.length === versions.size && docs.every((doc) => versions.get(doc._id) === doc.version);
      return caught ? docs : undefined;
    });

    expect(caughtUp).toHaveLength(13);
    const listed = pageOf(await api().get(`/api/products?category=${garden}&sort=price&limit=50`));
    expect(listed.items.map((item) => item.name)).toEqual(['Rebuilt 0', 'Rebuilt 1', 'Rebuilt 2', 'Rebuilt 3', 'Rebuilt 5', 'Rebuilt 7']);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given caught-up read models, when both are rebuilt from the event history, then the rebuilt collections equal them and serve', async () => {
    const before = await documents();

    // As `main.js rebuild-read-model` runs it, with the service's configuration.
    const progress: string[] = [];
    const results = (await rebuildReadModels(productService(), service.config, {
      logger: service.logger,
      progress: (line) => progress.push(line),
      retireAfterMs: 100,
    })) as RebuildResult[];

    expect(results.map((result) => result.collection)).toEqual([
      expect.stringMatching(/^catalog_products_rebuilt_/),
      expect.stringMatching(/^catalog_categories_rebuilt_/),
    ]);
    expect(results.map((result) => result.events)).toEqual([15, 4]);
    expect(progress).toContainEqual(expect.stringMatching(/^catalog_products: done, events applied: 15; catalog_products_rebuilt_\w+ serves, catalog_products dropped$/));
    expect(await documents()).toEqual(before);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given rebuilt read models, when a product is created and its category renamed, then the live projection writes to the rebuilt collections', async () => {
    const category = await api().post('/api/categories').set('authorization', admin).send({ name: 'Late' });
    const categoryId = (category.body as { id: string }).id;
    const created = await api()
      .post('/api/products')
      .set('authorization', admin)
      .send({ sku: 'LATE-1', name: 'Late kettle', categoryId, price: { amountMinor: 100, currency: 'EUR' } });
    await eventually(async () => {
      const res = await api().get(`/api/products/${productOf(created).id}`);
      return res.status === 200 && productOf(res).category.name === 'Late' ? true : undefined;
    });
    expect((await api().patch(`/api/categories/${categoryId}`).set('authorization', admin).send({ name: 'Later' })).status).toBe(200);

    const detail = await eventually(async () => {
      const res = await api().get(`/api/products/${productOf(created).id}`);
      return res.status === 200 && productOf(res).category.name === 'Later' ? productOf(res) : undefined;
    });

    expect(detail).toMatchObject({ name: 'Late kettle', version: 1 });
    const collections = (await service.mongo.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(collections).not.toContain('catalog_products');
    expect(collections).not.toContain('catalog_categories');
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a product changed right after its creation, when the change reaches the read model first, then it shows the change and nothing is dead-lettered or parked', async () => {
    const category = await api().post('/api/categories').set('authorization', admin).send({ name: 'Overtaken' });
    const categoryId = (category.body as { id: string }).id;
    const kafka = createKafka({ clientId: 'product-test-overtaking', brokers: localServers().kafkaBrokers, logger: service.logger });
    const producer = kafka.producer();
    await producer.connect();
    // A transaction holding an id holds the log's horizon: the relay publishes nothing appended after
    // it began until it ends, so the spec, not timing, decides which of the two events arrives first.
    const horizon = await service.pool.connect();
    let productId = '';
    let createdEventId = '';
    try {
      await horizon.query('begin');
      await horizon.query('select pg_current_xact_id()');
      const created = await api()
        .post('/api/products')
        .set('authorization', admin)
        .send({ sku: 'OVERTAKEN-1', name: 'Overtaken kettle', categoryId, price: { amountMinor: 100, currency: 'EUR' } });
      expect(created.status).toBe(201);
      productId = productOf(created).id;
      const patched = await api().patch(`/api/products/${productId}`).set('authorization', admin).send({ price: { amountMinor: 250, currency: 'EUR' } });
      expect(patched.status).toBe(200);
      const { events } = await service.store.readStream(`product-${productId}`);
      const [creation, update] = events;
      expect([creation?.eventType, update?.eventType]).toEqual(['ProductCreated', 'ProductUpdated']);
      createdEventId = creation?.eventId ?? '';

      // The update alone, as the relay would send it, onto this service's topic for updates.
      await producer.send({
        topic: `product.catalog.updated.${service.namespace}`,
        messages: [{ key: productId, value: JSON.stringify(update) }],
      });
      // Well within the consumer's retries (about 7 s before the DLT) if the update waited for its creation.
      await eventually(async () => ((await productDocument(productId))?.version === 2 ? true : undefined), 5_000);
    } finally {
      await horizon.query('rollback');
      horizon.release();
      await producer.disconnect();
    }

    // The relay now publishes both: the creation comes second and finds the document newer.
    const group = `product.read-model.${service.namespace}`;
    await eventually(async () => {
      const { rows } = await service.pool.query('select 1 from consumer_inbox where consumer_group = $1 and event_id = $2', [group, createdEventId]);
      return rows.length === 1 ? true : undefined;
    });
    expect(await productDocument(productId)).toMatchObject({ version: 2, amountMinor: 250, name: 'Overtaken kettle' });
    const detail = await api().get(`/api/products/${productId}`);
    expect(productOf(detail)).toMatchObject({ version: 2, price: { amountMinor: 250, currency: 'EUR' } });
    const parked = await service.pool.query('select message_key from consumer_parked_keys where consumer_group = $1', [group]);
    expect(parked.rows).toEqual([]);
    const brokerAdmin = kafka.admin();
    await brokerAdmin.connect();
    try {
      for (const topic of ['product.catalog.created', 'product.catalog.updated']) {
        const offsets = await brokerAdmin.fetchTopicOffsets(deadLetterTopicFor(`${topic}.${service.namespace}`));
        expect(offsets.map((partition) => partition.high)).toEqual(offsets.map(() => '0'));
      }
    } finally {
      await brokerAdmin.disconnect();
    }
  }, SERVER_TEST_TIMEOUT_MS);

  async function productDocument(id: string): Promise<ProductDocument | null> {
    return (await mongoReadModel(service.mongo, productReadModel).collection()).findOne({ _id: id });
  }
});
