import { type CommandResult, createCommandHandler } from '@msa/platform';
import { createInMemoryEventStore } from '@msa/platform/testing';
import { nameKey, searchWords } from '../../src/adapters/mongo/search-words.js';
import { categoryDecider } from '../../src/domain/category-decider.js';
import { type CategoryState, categoryStream } from '../../src/domain/category.js';
import { SkuTaken } from '../../src/domain/errors.js';
import { productDecider } from '../../src/domain/product-decider.js';
import { type Product, productStream, type ProductState } from '../../src/domain/product.js';
import { skuKey } from '../../src/domain/sku.js';
import type { CatalogCommands, CatalogQueries, CatalogReads, ListingQuery, ProductView, VersionedCategory, VersionedProduct } from '../../src/ports.js';

/** The product service's ports with no servers behind them. */
export interface FakeCatalogPorts {
  readonly commands: CatalogCommands;
  readonly queries: CatalogQueries;
  /** The queries as the routes read them, without a cache: every answer is a `bypass`. */
  readonly reads: CatalogReads;
}

/** A product's place in an order: the sort key and the id, as the read model's cursor holds them. */
function sortKey(product: Product, sort: ListingQuery['sort']): (string | number)[] {
  return sort === 'name' ? [nameKey(product.name), product.productId] : [product.price.currency, product.price.amountMinor, product.productId];
}

function compare(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (const [index, value] of a.entries()) {
    const other = b[index] ?? '';
    if (value !== other) return value < other ? -1 : 1;
  }
  return 0;
}

/**
 * The write side as the real deciders and command handlers on the in-memory event store, with the
 * SKU claims in a map; the read side follows every command at once and lists in memory.
 */
export function fakeCatalogPorts(): FakeCatalogPorts {
  const store = createInMemoryEventStore();
  const products = createCommandHandler({ store, decider: productDecider });
  const categories = createCommandHandler({ store, decider: categoryDecider });
  const skus = new Map<string, string>();
  const productViews = new Map<string, VersionedProduct>();
  const categoryViews = new Map<string, VersionedCategory>();

  const categoryState = (categoryId: string): CategoryState => {
    const known = categoryViews.get(categoryId);
    return known === undefined ? { status: 'absent' } : { status: 'created', category: known.category };
  };
  const recordProduct = ({ state, nextExpectedVersion }: CommandResult<ProductState, 'Product'>): VersionedProduct => {
    if (state.status === 'absent') throw new Error('a handled product command left no product');
    const view = { product: state.product, version: nextExpectedVersion };
    productViews.set(state.product.productId, view);
    return view;
  };
  const recordCategory = ({ state, nextExpectedVersion }: CommandResult<CategoryState, 'Category'>): VersionedCategory => {
    if (state.status === 'absent') throw new Error('a handled category command left no category');
    const view = { category: state.category, version: nextExpectedVersion };
    categoryViews.set(state.category.categoryId, view);
    return view;
  };
  const withCategory = ({ product, version }: VersionedProduct): ProductView => ({
    product,
    version,
    categoryName: categoryViews.get(product.categoryId)?.category.name,
  });

  const commands: CatalogCommands = {
    async createCategory(data, context) {
      return recordCategory(await categories(categoryStream(data.categoryId), { type: 'CreateCategory', data }, context));
    },
    async renameCategory(data, context) {
      return recordCategory(await categories(categoryStream(data.categoryId), { type: 'RenameCategory', data }, context));
    },
    async createProduct(data, context) {
      const command = { type: 'CreateProduct', data: { ...data, category: categoryState(data.categoryId) } } as const;
      const key = skuKey(data.sku);
      if (skus.has(key)) {
        productDecider.decide(command, productDecider.initialState(), { now: new Date() });
        throw new SkuTaken(data.sku);
      }
      const created = recordProduct(await products(productStream(data.productId), command, context));
      skus.set(key, data.productId);
      return created;
    },
    async updateProduct(data, context) {
      const category = data.categoryId === undefined ? undefined : categoryState(data.categoryId);
      return recordProduct(await products(productStream(data.productId), { type: 'UpdateProduct', data: { ...data, category } }, context));
    },
    async setActive(productId, active, context) {
      const type = active ? 'ReactivateProduct' : 'DeactivateProduct';
      return recordProduct(await products(productStream(productId), { type, data: { productId } }, context));
    },
  };

  const queries: CatalogQueries = {
    product(productId) {
      const found = productViews.get(productId);
      return Promise.resolve(found === undefined ? undefined : withCategory(found));
    },
    list({ categoryId, words, sort, limit, after }) {
      const direction = sort === '-price' ? -1 : 1;
      const afterKey = after === undefined ? undefined : [...after.key, after.productId];
      const matching = [...productViews.values()]
        .filter(({ product }) => product.active && (categoryId === undefined || product.categoryId === categoryId))
        .filter(({ product }) => {
          const held = new Set(searchWords(product.name, product.description));
          return words.every((word) => held.has(word));
        })
        .filter(({ product }) => afterKey === undefined || compare(sortKey(product, sort), afterKey) * direction > 0)
        .sort((a, b) => compare(sortKey(a.product, sort), sortKey(b.product, sort)) * direction);
      const page = matching.slice(0, limit);
      const last = page.at(-1);
      const next =
        matching.length > limit && last !== undefined
          ? { sort, key: sortKey(last.product, sort).slice(0, -1), productId: last.product.productId }
          : undefined;
      return Promise.resolve({ items: page.map(withCategory), next });
    },
    categories() {
      return Promise.resolve([...categoryViews.values()].sort((a, b) => compare([nameKey(a.category.name)], [nameKey(b.category.name)])));
    },
  };
  const reads: CatalogReads = {
    product: async (productId) => ({ value: await queries.product(productId), source: 'bypass' }),
    list: async (query) => ({ value: await queries.list(query), source: 'bypass' }),
    categories: () => queries.categories(),
  };
  return { commands, queries, reads };
}
