import type { MongoReadModel } from '@msa/platform';
import type { CatalogQueries, ProductView } from '../../ports.js';
import type { CategoryDocument, CategoryDocumentEvent } from './category-read-model.js';
import { positionOf } from './listing-order.js';
import { walkListing } from './listing-walks.js';
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

/** The catalog queries on the product and category read models; category names are joined per page. */
export function catalogQueries({ products, categories }: CatalogReadModels): CatalogQueries {
  async function categoryNames(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const found = await (await categories.collection()).find({ _id: { $in: [...new Set(ids)] } }).toArray();
    return new Map(found.map((category) => [category._id, category.name]));
  }

  // The currency of the last page listed: the guess a first price page checks before walking it.
  let currencySeen: string | undefined;

  return {
    async product(productId) {
      const found = await (await products.collection()).findOne({ _id: productId });
      return found === null ? undefined : toView(found, await categoryNames([found.categoryId]));
    },

    async list(query) {
      const documents = await walkListing(await products.collection(), query, query.limit + 1, currencySeen);
      currencySeen = documents[0]?.currency ?? currencySeen;
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
