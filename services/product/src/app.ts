import { randomUUID } from 'node:crypto';
import type { ServiceDefinition } from '@msa/platform';
import { catalogCache } from './adapters/cache/catalog-cache.js';
import { productRoutes } from './adapters/http/routes.js';
import { catalogQueries } from './adapters/mongo/catalog-queries.js';
import { categoryReadModel } from './adapters/mongo/category-read-model.js';
import { productReadModel } from './adapters/mongo/product-read-model.js';
import { createCatalogCommands } from './adapters/postgres/catalog-commands.js';
import { productMigrations } from './adapters/postgres/schema.js';
import { productConfigSchema } from './config.js';

/**
 * The product service on the platform's kit: its routes, its two read models, its SKU table and its
 * read cache, invalidated once the read models have applied each event. The kit does the rest
 * (`runService`, `createService`).
 */
export function productService(): ServiceDefinition<typeof productConfigSchema> {
  return {
    name: 'product',
    version: '1.0.0',
    title: 'Product service',
    config: productConfigSchema,
    migrations: productMigrations,
    readModels: { group: 'product.read-model', definitions: [productReadModel, categoryReadModel] },
    build({ config, pool, store, readModel, requireAuth, cache }) {
      const cached = catalogCache({
        cache,
        queries: catalogQueries({ products: readModel(productReadModel), categories: readModel(categoryReadModel) }),
        ttlSeconds: Math.floor(config.CATALOG_CACHE_TTL / 1_000),
      });
      return {
        routes: productRoutes({
          commands: createCatalogCommands({ pool, store }),
          reads: cached.reads,
          adminOnly: requireAuth(['admin']),
          newId: randomUUID,
          pageSize: { defaultLimit: config.CATALOG_PAGE_SIZE, maxLimit: config.CATALOG_MAX_PAGE_SIZE },
        }),
        afterProjected: (event) => cached.invalidate(event),
      };
    },
  };
}
