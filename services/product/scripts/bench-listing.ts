/**
 * Seeds 10,000 products into a fresh MongoDB-wire database through the product read model's own
 * `evolve`, with its indexes, then times each listing query two ways: `plain`, one query with the
 * listing's filter, sort and limit (the design before the buckets), and `buckets`, the walk the
 * service runs (`walkListing`); checks both return the same products, and prints what FerretDB's
 * `explain` says it pushed down to PostgreSQL for the plain query. Run after a build:
 * `npm run bench:listing -w @msa/product-service` (the local servers must be up). Not part of the tests.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createEvent, type ProductCreated } from '@msa/contracts';
import { createTestMongoDatabase } from '@msa/local';
import { mongoReadModel } from '@msa/platform';
import type { Collection, Document } from 'mongodb';
import { listingFilter, walkListing } from '../src/adapters/mongo/listing-walks.js';
import { sortOf } from '../src/adapters/mongo/listing-order.js';
import { type ProductDocument, productReadModel } from '../src/adapters/mongo/product-read-model.js';
import type { ListingQuery } from '../src/ports.js';

const PRODUCTS = 10_000;
const CATEGORIES = 20;
const RUNS = 5;
const PAGE = 20;

const ADJECTIVES = ['stovetop', 'enamelled', 'copper', 'whistling', 'electric', 'compact', 'glass', 'cast', 'iron', 'bamboo', 'steel', 'ceramic'];
const NOUNS = ['kettle', 'pan', 'teapot', 'skillet', 'wok', 'grater', 'knife', 'board', 'bowl', 'mug', 'jar', 'sieve', 'ladle', 'whisk'];
const FILLER = ['durable', 'dishwasher', 'safe', 'handle', 'lid', 'gift', 'classic', 'modern', 'kitchen', 'everyday', 'premium', 'light'];

/** A deterministic pseudo-random sequence, so every run seeds the same catalog. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function seedEvents(categories: readonly string[]): ProductCreated[] {
  const next = random(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return Array.from({ length: PRODUCTS }, (_, i) =>
    createEvent({
      eventType: 'ProductCreated',
      eventId: randomUUID(),
      version: 1,
      occurredAt: new Date(Date.UTC(2025, 0, 1) + i * 1_000).toISOString(),
      correlationId: 'bench',
      causationId: 'bench',
      payload: {
        productId: randomUUID(),
        sku: `BENCH-${i}`,
        name: `${pick(ADJECTIVES)} ${pick(NOUNS)} ${i}`,
        description: Array.from({ length: 8 }, () => pick(FILLER)).join(' '),
        categoryId: pick(categories),
        price: { amountMinor: 100 + Math.floor(next() * 100_000), currency: 'EUR' },
        // One in ten is inactive, as a catalog's retired products are.
        active: next() > 0.1,
      },
    }),
  );
}

async function seed(collection: Collection<ProductDocument>, events: readonly ProductCreated[]): Promise<void> {
  for (let at = 0; at < events.length; at += 1_000) {
    const documents = events.slice(at, at + 1_000).map((event) => {
      const fields = productReadModel.evolve(undefined, event);
      if (fields === undefined) throw new Error('a creation made no document');
      return { ...fields, _id: event.aggregateId, version: event.version };
    });
    await collection.insertMany(documents);
  }
}

interface Measured {
  readonly query: string;
  readonly plainMs: number;
  readonly bucketsMs: number;
  readonly bucketsMaxMs: number;
  readonly returned: number;
  readonly same: boolean;
  readonly pushdown: string;
}

/** The median and the slowest of `RUNS` runs of `run`, and what its last run returned. */
async function timed(run: () => Promise<ProductDocument[]>): Promise<{ medianMs: number; maxMs: number; ids: string[] }> {
  const times: number[] = [];
  let ids: string[] = [];
  for (let at = 0; at < RUNS; at += 1) {
    const started = performance.now();
    ids = (await run()).map((document) => document._id);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { medianMs: round(times[Math.floor(RUNS / 2)] ?? 0), maxMs: round(times.at(-1) ?? 0), ids };
}

async function measure(collection: Collection<ProductDocument>, name: string, query: ListingQuery): Promise<Measured> {
  const find = () => collection.find(listingFilter(query)).sort(sortOf(query.sort)).limit(query.limit + 1);
  const plain = await timed(() => find().toArray());
  // The hint the service holds after its first listing: the currency it saw last.
  const buckets = await timed(() => walkListing(collection, query, query.limit + 1, 'EUR'));
  const explained: Document = await find().explain();
  const plan = (explained.queryPlanner as { Plan?: { 'Node Type'?: string; 'Index Name'?: string; Filter?: string; Plans?: { Filter?: string }[] } } | undefined)?.Plan;
  const sqlFilter = plan?.Filter ?? plan?.Plans?.[0]?.Filter ?? '';
  const pushedFields = [...sqlFilter.matchAll(/_jsonb -> '(\w+)'/g)].map((match) => match[1]).join(',');
  const pushed = ['filterPushdown', 'sortPushdown', 'limitPushdown'].filter((flag) => explained[flag] === true).join('+') || 'none';
  return {
    query: name,
    plainMs: plain.medianMs,
    bucketsMs: buckets.medianMs,
    bucketsMaxMs: buckets.maxMs,
    returned: buckets.ids.length,
    same: JSON.stringify(plain.ids) === JSON.stringify(buckets.ids),
    pushdown: `${pushed} (${pushedFields}); ${plan?.['Node Type'] ?? '?'}${plan?.['Index Name'] === undefined ? '' : ` on ${plan['Index Name']}`}`,
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

async function main(): Promise<void> {
  const target = await createTestMongoDatabase('product_bench');
  try {
    const categories = Array.from({ length: CATEGORIES }, () => randomUUID());
    const [category = ''] = categories;
    const readModel = mongoReadModel(target.db, productReadModel);
    const collection = await readModel.collection();
    const started = performance.now();
    await seed(collection, seedEvents(categories));
    console.log(`seeded ${PRODUCTS} products in ${CATEGORIES} categories in ${Math.round(performance.now() - started)} ms`);

    await readModel.ensureIndexes();
    const queries: [string, ListingQuery][] = [
      ['category, by price', { categoryId: category, words: [], sort: 'price', limit: PAGE }],
      ['category, by name', { categoryId: category, words: [], sort: 'name', limit: PAGE }],
      ['all, by name', { words: [], sort: 'name', limit: PAGE }],
      ['all, by name, page after "glass"', { words: [], sort: 'name', limit: PAGE, after: { sort: 'name', key: ['glass'], productId: '' } }],
      ['all, by name, page after "whistling"', { words: [], sort: 'name', limit: PAGE, after: { sort: 'name', key: ['whistling'], productId: '' } }],
      ['all, by price', { words: [], sort: 'price', limit: PAGE }],
      ['all, by price, page after 50,000', { words: [], sort: 'price', limit: PAGE, after: { sort: 'price', key: ['EUR', 50_000], productId: '' } }],
      ['all, by price, page after 1,000', { words: [], sort: 'price', limit: PAGE, after: { sort: 'price', key: ['EUR', 1_000], productId: '' } }],
      ['all, by -price', { words: [], sort: '-price', limit: PAGE }],
      ['all, by -price, page after 50,000', { words: [], sort: '-price', limit: PAGE, after: { sort: '-price', key: ['EUR', 50_000], productId: '' } }],
      ['words "copper kettle", by name', { words: ['copper', 'kettle'], sort: 'name', limit: PAGE }],
      ['category + word "wok", by price', { categoryId: category, words: ['wok'], sort: 'price', limit: PAGE }],
    ];
    const rows: Measured[] = [];
    for (const [name, query] of queries) rows.push(await measure(collection, name, query));
    console.table(rows);
  } finally {
    await target.drop();
  }
}

await main();
