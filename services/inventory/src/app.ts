import type { ServiceDefinition } from '@msa/platform';
import { reservationHandlers } from './adapters/consumers/reservation-handlers.js';
import { inventoryRoutes } from './adapters/http/routes.js';
import { createInventoryWriteSide } from './adapters/postgres/inventory-write-side.js';
import { inventoryMigrations } from './adapters/postgres/schema.js';
import { createStockQueries } from './adapters/postgres/stock-queries.js';
import { inventoryConfigSchema } from './config.js';

/**
 * The inventory service on the platform's kit: its routes, its stock table beside the event store,
 * and the `inventory.reservations` consumer. It declares no read model: the stock levels it keeps
 * in PostgreSQL answer the queries (see DESIGN.md). The kit does the rest (`runService`, `createService`).
 */
export function inventoryService(): ServiceDefinition<typeof inventoryConfigSchema> {
  return {
    name: 'inventory',
    version: '1.0.0',
    title: 'Inventory service',
    config: inventoryConfigSchema,
    migrations: inventoryMigrations,
    build({ config, pool, store, requireAuth }) {
      const writeSide = createInventoryWriteSide({
        pool,
        store,
        lowWaterMark: config.INVENTORY_LOW_WATER_MARK,
        // The control build reserves as the seed did, line by line: the fault suite must catch it.
        reservations: config.NAIVE_DUAL_WRITE ? 'per-item' : 'all-or-none',
      });
      return {
        routes: inventoryRoutes({
          commands: writeSide,
          queries: createStockQueries(pool, writeSide.view),
          adminOnly: requireAuth(['admin']),
        }),
        consumers: [{ group: 'inventory.reservations', handlers: reservationHandlers(writeSide) }],
      };
    },
  };
}
