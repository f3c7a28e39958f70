import { env, serviceVariables } from '@msa/platform';
import { z } from 'zod';

/**
 * The inventory service's environment: what every service reads, and the low-water mark. Every
 * variable is documented in the service README.
 */
export const inventoryConfigSchema = z.object({
  ...serviceVariables({ port: 8085, database: 'inventory' }),
  /** Available units at or below which a product counts as depleted (`StockDepleted`, once per crossing). */
  INVENTORY_LOW_WATER_MARK: env.integer({ min: 0, max: 1_000_000 }).default(0),
});

/** The inventory service's validated configuration. */
export type InventoryConfig = z.output<typeof inventoryConfigSchema>;
