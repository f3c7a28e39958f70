import type { MongoReadModel } from '@msa/platform';
import type { Collection, Filter } from 'mongodb';
import type { CatalogQueries, ListingQuery, ProductView } from '../../ports.js';
import type { CategoryDocument, CategoryDocumentEvent } from './category-read-model.js';
import { afterFilter, positionOf, sortOf } from './listing-order.js';
import { nameBucketsFrom } from './name-buckets.js';
import type { ProductDocument, ProductDocumentEvent } from './product-read-model.js';

/** The read models the queries read, each through the collection its pointer names at the time. */
export interface CatalogReadModels {
  readonly products: Pick<MongoReadModel<ProductDocument, ProductDocumentEvent>, 'collection'>;
  readonly categories: Pick<MongoReadModel<CategoryDocument, CategoryDocumentEvent>, 'collection'>;
}

function toView(document: ProductDocument, categoryNames: ReadonlyMap<string, string>): ProductView {
  const { _id, version, sku, name, description, categoryId, currency, amountMinor, active } = document;
  return {
    product: { productId: _id, sku, name, description, categoryId, price: { amountMinor, currency }, active },
    categoryName: categoryNames.get(categoryId),
    version,
  };
}

/**
 * The MongoDB filter of a listing query: active products, of the category, holding every word.
 * FerretDB v1 hands PostgreSQL only top-level equality on a string or boolean, then fetches every
 * document that matches and applies the rest (`$all`, the cursor's range) and the sort itself; so
 * the longest word, the likeliest to be rare, is also asked for by plain equality, which on the
 * `words` array PostgreSQL answers as containment and which cuts the documents FerretDB must read.
 */
export function listingFilter({ categoryId, words, after }: Pick<ListingQuery, 'categoryId' | 'words' | 'after'>): Filter<ProductDocument> {
  const [longest] = [...words].sort((a, b) => b.length - a.length || a.localeCompare(b));
  const others = words.filter((word) => word !== longest);
  return {
    active: true,
    ...(categoryId === undefined ? {} : { categoryId }),
    ...(longest === undefined ? {} : { words: longest }),
    ...(others.length === 0 ? {} : { $and: [{ words: { $all: others } }] }),
    ...(after === undefined ? {} : afterFilter(after)),
  };
}

/**
 * The first `wanted` documents of a listing after its cursor, in its order. An unfiltered name
 * listing has no equality but `active` to hand PostgreSQL, so FerretDB would read and sort every
 * active product for each page; it walks the name buckets instead, from the cursor's on, asking for
 * one bucket at a time by equality (pushed down) and stopping once the page is full. A listing with a
 * category or words reads only what those equalities match, a few hundred products, in one query;
 * walking buckets there would pay one query per bucket for a handful of products each. Every query
 * keeps the cursor's range and the sort, which FerretDB applies to the few documents it read.
 */
async function listed(collection: Collection<ProductDocument>, query: ListingQuery, wanted: number): Promise<ProductDocument[]> {
  const find = (filter: Filter<ProductDocument>, limit: number) => collection.find(filter).sort(sortOf(query.sort)).limit(limit).toArray();
  const filter = listingFilter(query);
  if (query.sort !== 'name' || query.categoryId !== undefined || query.words.length > 0) return find(filter, wanted);
  const found: ProductDocument[] = [];
  const from = query.after === undefined ? undefined : String(query.after.key[0]);
  for (const nameBucket of nameBucketsFrom(from)) {
    found.push(...(await find({ ...filter, nameBucket }, wanted - found.length)));
    if (found.length === wanted) break;
  }
  return found;
}

/** The catalog queries on the product and category read models; category names are joined per page. */
export function catalogQueries({ products, categories }: CatalogReadModels): CatalogQueries {
  async function categoryNames(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const found = await (await categories.collection()).find({ _id: { $in: [...new Set(ids)] } }).toArray();
    return new Map(found.map((category) => [category._id, category.name]));
  }

  return {
    async product(productId) {
      const found = await (await products.collection()).findOne({ _id: productId });
      return found === null ? undefined : toView(found, await categoryNames([found.categoryId]));
    },

    async list(query) {
      const documents = await listed(await products.collection(), query, query.limit + 1);
      const page = documents.slice(0, query.limit);
      const names = await categoryNames(page.map((document) => document.categoryId));
      const last = page.at(-1);
      return {
        items: page.map((document) => toView(document, names)),
        next: documents.length > query.limit && last !== undefined ? positionOf(last, query.sort) : undefined,
      };
    },

    async categories() {
      const found = await (await categories.collection()).find({}).sort({ nameKey: 1, _id: 1 }).toArray();
      return found.map(({ _id, name, version }) => ({ category: { categoryId: _id, name }, version }));
    },
  };
}
