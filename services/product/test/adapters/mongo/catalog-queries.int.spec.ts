import { randomUUID } from 'node:crypto';
import { createEvent, type ProductCreated } from '@msa/contracts';
import { createTestMongoDatabase, type TestMongoDatabase } from '@msa/local';
import { mongoReadModel } from '@msa/platform';
import { catalogQueries } from '../../../src/adapters/mongo/catalog-queries.js';
import { categoryReadModel } from '../../../src/adapters/mongo/category-read-model.js';
import { type ProductDocument, productReadModel } from '../../../src/adapters/mongo/product-read-model.js';
import type { ListingPosition, ListingQuery } from '../../../src/ports.js';
import { SERVER_TEST_TIMEOUT_MS } from '../../support/timeout.js';

const categoryId = randomUUID();
/** Names in many buckets, some buckets crowded, most empty, and names that tie. */
const NAMES = ['', ' spaced', '!bang', '0 zero', '42 mugs', '[bracket]', 'apple', 'Apple', 'Éclair pan', 'egg cup', 'kettle', 'kettle', 'Kettle', 'ø20 pot', '주전자', '😀 mug'];

function creation(index: number): ProductCreated {
  const base = NAMES[index % NAMES.length] ?? '';
  return createEvent({
    eventType: 'ProductCreated',
    eventId: randomUUID(),
    version: 1,
    occurredAt: new Date(Date.UTC(2025, 0, 1) + index * 1_000).toISOString(),
    correlationId: 'spec',
    causationId: 'spec',
    payload: {
      productId: randomUUID(),
      sku: `SPEC-${index}`,
      // Every third one keeps the bare name, so ties are broken by the id alone.
      name: index % 3 === 0 ? base || 'x' : `${base} ${index}`,
      description: '',
      categoryId,
      price: { amountMinor: 100 + index, currency: 'EUR' },
      active: index % 7 !== 0,
    },
  });
}

/** Bytewise UTF-8 order, then the id: the name order as FerretDB sorts it. */
function nameOrder(a: ProductDocument, b: ProductDocument): number {
  return Buffer.compare(Buffer.from(a.nameKey), Buffer.from(b.nameKey)) || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);
}

describe('Catalog queries on FerretDB: the unfiltered name listing walks the name buckets', () => {
  let target: TestMongoDatabase;
  let documents: ProductDocument[];

  beforeAll(async () => {
    target = await createTestMongoDatabase('product_queries');
    const products = mongoReadModel(target.db, productReadModel);
    await products.ensureIndexes();
    documents = Array.from({ length: 80 }, (_, index) => {
      const event = creation(index);
      const fields = productReadModel.evolve(undefined, event);
      if (fields === undefined) throw new Error('a creation made no document');
      return { ...fields, _id: event.aggregateId, version: 1 };
    });
    await (await products.collection()).insertMany(documents);
  }, SERVER_TEST_TIMEOUT_MS);

  afterAll(() => target.drop(), SERVER_TEST_TIMEOUT_MS);

  const queries = () => catalogQueries({ products: mongoReadModel(target.db, productReadModel), categories: mongoReadModel(target.db, categoryReadModel) });

  async function everyPage(query: Omit<ListingQuery, 'after'>): Promise<string[][]> {
    const pages: string[][] = [];
    let after: ListingPosition | undefined;
    do {
      const page = await queries().list({ ...query, after });
      pages.push(page.items.map((item) => item.product.productId));
      after = page.next;
    } while (after !== undefined);
    return pages;
  }

  it.each([1, 3, 7, 100])(
    'given active products in many buckets, when paged by name %d at a time, then every page is full, in name order, and the last has no cursor',
    async (limit) => {
      const expected = documents.filter((document) => document.active).sort(nameOrder).map((document) => document._id);

      const pages = await everyPage({ words: [], sort: 'name', limit });

      expect(pages.flat()).toEqual(expected);
      expect(pages.slice(0, -1).every((page) => page.length === limit)).toBe(true);
      expect(pages.at(-1)?.length).toBe(expected.length % limit || Math.min(limit, expected.length));
    },
    SERVER_TEST_TIMEOUT_MS,
  );

  it(
    'given a product added before the cursor’s position, when the next page is read, then it neither shifts nor repeats',
    async () => {
      const first = await queries().list({ words: [], sort: 'name', limit: 5 });
      const added = creation(1_000);
      const fields = productReadModel.evolve(undefined, { ...added, payload: { ...added.payload, name: '!!! first of all' } });
      if (fields === undefined) throw new Error('a creation made no document');
      await (await mongoReadModel(target.db, productReadModel).collection()).insertOne({ ...fields, _id: added.aggregateId, version: 1 });

      const second = await queries().list({ words: [], sort: 'name', limit: 5, after: first.next });
      const expected = documents.filter((document) => document.active).sort(nameOrder).slice(5, 10).map((document) => document._id);

      expect(second.items.map((item) => item.product.productId)).toEqual(expected);
    },
    SERVER_TEST_TIMEOUT_MS,
  );
});
