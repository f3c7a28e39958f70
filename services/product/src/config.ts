import { env, serviceVariables } from '@msa/platform';
import { z } from 'zod';

/**
 * The product service's environment: what every service reads, and the bounds of a listing page.
 * Every variable is documented in the service README.
 */
export const productConfigSchema = z
  .object({
    ...serviceVariables({ port: 8082, database: 'product' }),
    /** Products on a listing page when the request names no `limit`. */
    CATALOG_PAGE_SIZE: env.integer({ min: 1, max: 500 }).default(20),
    /** The largest `limit` a listing request may ask for: bounds the work one request can cause. */
    CATALOG_MAX_PAGE_SIZE: env.integer({ min: 1, max: 500 }).default(100),
  })
  .refine((config) => config.CATALOG_PAGE_SIZE <= config.CATALOG_MAX_PAGE_SIZE, {
    path: ['CATALOG_PAGE_SIZE'],
    message: 'must not exceed CATALOG_MAX_PAGE_SIZE',
  });

/** The product service's validated configuration. */
export type ProductConfig = z.output<typeof productConfigSchema>;
