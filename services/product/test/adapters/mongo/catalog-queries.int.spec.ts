import { randomUUID } from 'node:crypto';
import { createEvent, type ProductCreated } from '@msa/contracts';
import { createTestMongoDatabase, type TestMongoDatabase } from '@msa/local';
import { mongoReadModel } from '@msa/platform';
import { catalogQueries } from '../../../src/adapters/mongo/catalog-queries.js';
import { walkListing } from '../../../src/adapters/mongo/listing-walks.js';
import { categoryReadModel } from '../../../src/adapters/mongo/category-read-model.js';
import { type ProductDocument, productReadModel } from '../../../src/adapters/mongo/product-read-model.js';
import type { ListingPosition, ListingQuery } from '../../../src/ports.js';
import { SERVER_TEST_TIMEOUT_MS } from '../../support/timeout.js';

const categoryId = randomUUID();
/** Names in many buckets, some buckets crowded, most empty, and names that tie. */
const NAMES = ['', ' spaced', '!bang', '0 zero', '42 mugs', '[bracket]', 'apple', 'Apple', 'Éclair pan', 'egg cup', 'kettle', 'kettle', 'Kettle', 'ø20 pot', '주전자', '😀 mug'];

/** Amounts crowded into a few leaves of the price tree, spread thin over others, and at both ends. */
function amountOf(index: number): number {
  const rare = [0, 7, 42, 150, 999, 12_345, 10_000_000, Number.MAX_SAFE_INTEGER];
  return index % 4 === 0 ? (rare[(index / 4) % rare.length] ?? 0) : 5_000 + (index % 30);
}

function creation(index: number, price: { amountMinor: number; currency: string } = { amountMinor: amountOf(index), currency: 'EUR' }): ProductCreated {
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
      price,
      active: index % 7 !== 0,
    },
  });
}

const byId = (a: ProductDocument, b: ProductDocument) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);

/** Bytewise UTF-8 order, then the id: the name order as FerretDB sorts it. */
function nameOrder(a: ProductDocument, b: ProductDocument): number {
  return Buffer.compare(Buffer.from(a.nameKey), Buffer.from(b.nameKey)) || byId(a, b);
}

/** Currency, then amount, then the id: the price order. */
function priceOrder(a: ProductDocument, b: ProductDocument): number {
  return (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0) || a.amountMinor - b.amountMinor || byId(a, b);
}

describe('Catalog queries on FerretDB: unfiltered listings walk the name buckets and the price tree', () => {
  let target: TestMongoDatabase;
  let documents: ProductDocument[];

  beforeAll(async () => {
    target = await createTestMongoDatabase('product_queries');
    const products = mongoReadModel(target.db, productReadModel);
    await products.ensureIndexes();
    documents = [];
    await insert(Array.from({ length: 120 }, (_, index) => creation(index)));
  }, SERVER_TEST_TIMEOUT_MS);

  async function insert(events: readonly ProductCreated[]): Promise<void> {
    const inserted = events.map((event) => {
      const fields = productReadModel.evolve(undefined, event);
      if (fields === undefined) throw new Error('a creation made no document');
      return { ...fields, _id: event.aggregateId, version: 1 };
    });
    await (await mongoReadModel(target.db, productReadModel).collection()).insertMany(inserted);
    documents.push(...inserted);
  }

  const active = () => documents.filter((document) => document.active);

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
      await expectEveryPage('name', limit, active().sort(nameOrder));
    },
    SERVER_TEST_TIMEOUT_MS,
  );

  it.each([1, 3, 7, 100])(
    'given one currency and amounts crowded in places, sparse elsewhere and at both ends, when paged by price and -price %d at a time, then every page is full and in order',
    async (limit) => {
      await expectEveryPage('price', limit, active().sort(priceOrder));
      await expectEveryPage('-price', limit, active().sort(priceOrder).reverse());
    },
    SERVER_TEST_TIMEOUT_MS,
  );

  async function expectEveryPage(sort: ListingQuery['sort'], limit: number, inOrder: readonly ProductDocument[]): Promise<void> {
    const pages = await everyPage({ words: [], sort, limit });

    expect(pages.flat()).toEqual(inOrder.map((document) => document._id));
    expect(pages.slice(0, -1).every((page) => page.length === limit)).toBe(true);
    expect(pages.at(-1)?.length).toBe(inOrder.length % limit || Math.min(limit, inOrder.length));
  }

  it(
    'given a product added before the cursor’s position, when the next page is read, then it neither shifts nor repeats',
    async () => {
      const byName = await queries().list({ words: [], sort: 'name', limit: 5 });
      const byPrice = await queries().list({ words: [], sort: 'price', limit: 5 });
      const expectedByName = active().sort(nameOrder).slice(5, 10).map((document) => document._id);
      const expectedByPrice = active().sort(priceOrder).slice(5, 10).map((document) => document._id);
      const added = creation(1_000, { amountMinor: 0, currency: 'EUR' });
      await insert([{ ...added, payload: { ...added.payload, name: '!!! first of all', active: true } }]);

      const nextByName = await queries().list({ words: [], sort: 'name', limit: 5, after: byName.next });
      const nextByPrice = await queries().list({ words: [], sort: 'price', limit: 5, after: byPrice.next });

      expect(nextByName.items.map((item) => item.product.productId)).toEqual(expectedByName);
      expect(nextByPrice.items.map((item) => item.product.productId)).toEqual(expectedByPrice);
    },
    SERVER_TEST_TIMEOUT_MS,
  );

  it(
    'given products in a second currency, when paged by price and -price, then each currency’s products come together, in order, as before the buckets',
    async () => {
      await insert(Array.from({ length: 9 }, (_, index) => creation(2_000 + index, { amountMinor: 1_000 * index, currency: 'KRW' })));

      for (const limit of [4, 50]) {
        await expectEveryPage('price', limit, active().sort(priceOrder));
        await expectEveryPage('-price', limit, active().sort(priceOrder).reverse());
      }
    },
    SERVER_TEST_TIMEOUT_MS,
  );
});

describe('Catalog queries on FerretDB: the price walk’s currency', () => {
  let target: TestMongoDatabase;
  const ids: string[] = [];

  beforeAll(async () => {
    target = await createTestMongoDatabase('product_queries');
    const products = mongoReadModel(target.db, productReadModel);
    await products.ensureIndexes();
    const inserted = Array.from({ length: 12 }, (_, index) => {
      const event = creation(3_000 + index, { amountMinor: 500 + 37 * index, currency: 'USD' });
      const fields = productReadModel.evolve(undefined, { ...event, payload: { ...event.payload, active: true } });
      if (fields === undefined) throw new Error('a creation made no document');
      return { ...fields, _id: event.aggregateId, version: 1 };
    });
    await (await products.collection()).insertMany(inserted);
    ids.push(...inserted.map((document) => document._id));
  }, SERVER_TEST_TIMEOUT_MS);

  afterAll(() => target.drop(), SERVER_TEST_TIMEOUT_MS);

  const listed = async (query: ListingQuery, hint?: string) =>
    (await walkListing(await mongoReadModel(target.db, productReadModel).collection(), query, query.limit, hint)).map((document) => document._id);

  it(
    'given every product in USD and a hint of EUR left from before, when the first page by price is walked, then it finds USD and lists in order',
    async () => {
      expect(await listed({ words: [], sort: 'price', limit: 20 }, 'EUR')).toEqual(ids);
    },
    SERVER_TEST_TIMEOUT_MS,
  );

  it(
    'given a cursor in EUR, a currency no product has any more, when the next page is walked, then by price all of USD follows it and by -price nothing does',
    async () => {
      const after = (sort: 'price' | '-price'): ListingPosition => ({ sort, key: ['EUR', 1_000], productId: randomUUID() });

      expect(await listed({ words: [], sort: 'price', limit: 20, after: after('price') })).toEqual(ids);
      expect(await listed({ words: [], sort: '-price', limit: 20, after: after('-price') })).toEqual([]);
    },
    SERVER_TEST_TIMEOUT_MS,
  );
});
