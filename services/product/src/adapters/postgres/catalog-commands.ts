import { type CommandResult, createCommandHandler, type EventStore, type Transaction, withTransaction } from '@msa/platform';
import pg from 'pg';
import { categoryDecider } from '../../domain/category-decider.js';
import { type CategoryState, categoryStream, evolveCategory, initialCategoryState } from '../../domain/category.js';
import { CategoryNotFound, ProductNotFound, SkuTaken } from '../../domain/errors.js';
import { productDecider } from '../../domain/product-decider.js';
import { productStream, type ProductState } from '../../domain/product.js';
import { skuKey } from '../../domain/sku.js';
import type { CatalogCommands, VersionedProduct } from '../../ports.js';
import { SKU_UNIQUE_CONSTRAINT } from './schema.js';

/** Options for `createCatalogCommands`. */
export interface CatalogCommandsOptions {
  readonly pool: pg.Pool;
  readonly store: EventStore;
}

/**
 * The write side on PostgreSQL. A product command that names a category reads the category's stream
 * in its own transaction, so the decision sees the category's committed state; creating a product
 * also claims its SKU in `product_skus` in the transaction that appends `ProductCreated`.
 */
export function createCatalogCommands({ pool, store }: CatalogCommandsOptions): CatalogCommands {
  const products = createCommandHandler({ store, decider: productDecider });
  const categories = createCommandHandler({ store, decider: categoryDecider });

  async function categoryState(categoryId: string, tx: Transaction): Promise<CategoryState> {
    const { events } = await store.readStream(categoryStream(categoryId), { tx });
    return events.reduce(
      (state, event) => (event.aggregateType === 'Category' ? evolveCategory(state, event) : state),
      initialCategoryState(),
    );
  }

  return {
    async createCategory(data, context) {
      const { state, nextExpectedVersion } = await categories(categoryStream(data.categoryId), { type: 'CreateCategory', data }, context);
      if (state.status === 'absent') throw new CategoryNotFound(data.categoryId);
      return { category: state.category, version: nextExpectedVersion };
    },

    async renameCategory(data, context) {
      const { state, nextExpectedVersion } = await categories(categoryStream(data.categoryId), { type: 'RenameCategory', data }, context);
      if (state.status === 'absent') throw new CategoryNotFound(data.categoryId);
      return { category: state.category, version: nextExpectedVersion };
    },

    createProduct(data, context) {
      return withTransaction(pool, async (tx) => {
        const category = await categoryState(data.categoryId, tx);
        const result = await products(productStream(data.productId), { type: 'CreateProduct', data: { ...data, category } }, { ...context, tx });
        await claimSku(tx, data.productId, data.sku);
        return productOf(result, data.productId);
      });
    },

    updateProduct(data, context) {
      return withTransaction(pool, async (tx) => {
        const category = data.categoryId === undefined ? undefined : await categoryState(data.categoryId, tx);
        const result = await products(productStream(data.productId), { type: 'UpdateProduct', data: { ...data, category } }, { ...context, tx });
        return productOf(result, data.productId);
      });
    },

    async setActive(productId, active, context) {
      const type = active ? 'ReactivateProduct' : 'DeactivateProduct';
      return productOf(await products(productStream(productId), { type, data: { productId } }, context), productId);
    },
  };
}

function productOf({ state, nextExpectedVersion }: CommandResult<ProductState, 'Product'>, productId: string): VersionedProduct {
  if (state.status === 'absent') throw new ProductNotFound(productId);
  return { product: state.product, version: nextExpectedVersion };
}

/** Claims the SKU for the product, reporting one another product holds in domain terms. */
async function claimSku(tx: Transaction, productId: string, sku: string): Promise<void> {
  try {
    await tx.client.query('insert into product_skus (sku_key, product_id) values ($1, $2)', [skuKey(sku), productId]);
  } catch (error) {
    if (error instanceof pg.DatabaseError && error.constraint === SKU_UNIQUE_CONSTRAINT) throw new SkuTaken(sku.trim());
    throw error;
  }
}
