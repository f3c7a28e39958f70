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
    /**
     * How long a cached detail or listing page may live. Invalidation after each projected event is
     * what keeps them fresh; this only bounds an entry whose invalidation never ran.
     */
    CATALOG_CACHE_TTL: env
      .duration()
      .refine((ms) => ms >= 1_000 && ms <= 86_400_000, 'expected from 1s to 1d')
      .default(300_000),
  })
  .refine((config) => config.CATALOG_PAGE_SIZE <= config.CATALOG_MAX_PAGE_SIZE, {
    path: ['CATALOG_PAGE_SIZE'],
    message: 'must not exceed CATALOG_MAX_PAGE_SIZE',
  });

/** The product service's validated configuration. */
export type ProductConfig = z.output<typeof productConfigSchema>;
