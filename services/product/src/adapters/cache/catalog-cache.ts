import type { DomainEvent } from '@msa/contracts';
import type { ReadCache } from '@msa/platform';
import type { CatalogQueries, CatalogReads, ListingPage, ProductView } from '../../ports.js';
import { detailKey, listingKey } from './cache-keys.js';

/** The catalog's cached reads, and what must follow each projected event. */
export interface CatalogCache {
  readonly reads: CatalogReads;
  /** Invalidates what `event`, now applied to the read models, made stale. */
  invalidate(event: DomainEvent): Promise<void>;
}

/** Options for `catalogCache`. */
export interface CatalogCacheOptions {
  readonly cache: ReadCache;
  readonly queries: CatalogQueries;
  /** How long an entry may live if an invalidation never reached it. */
  readonly ttlSeconds: number;
}

/**
 * Product detail by id and listing pages by normalised query, cache-aside over the read models.
 * Invalidation runs after the read models applied an event: a product event drops its detail (a
 * creation too, since a read before it cached "none") and every listing page, whose membership and
 * order any product change can alter; a category rename drops everything, since every product of
 * the category shows its name and they cannot be named one by one.
 */
export function catalogCache({ cache, queries, ttlSeconds }: CatalogCacheOptions): CatalogCache {
  const details = cache.family<ProductView>('product-detail', { ttlSeconds });
  const listings = cache.family<ListingPage>('product-listing', { ttlSeconds });

  return {
    reads: {
      product: (productId) => details.read(detailKey(productId), () => queries.product(productId)),
      async list(query) {
        const { value, source } = await listings.read(listingKey(query), () => queries.list(query));
        // The loader always finds a page, so only a corrupt entry could be empty; load it afresh.
        return value === undefined ? { value: await queries.list(query), source: 'bypass' } : { value, source };
      },
      categories: () => queries.categories(),
    },
    async invalidate(event) {
      switch (event.eventType) {
        case 'ProductCreated':
        case 'ProductUpdated':
          await Promise.all([details.invalidate(detailKey(event.aggregateId)), listings.invalidateAll()]);
          return;
        case 'CategoryRenamed':
          await Promise.all([details.invalidateAll(), listings.invalidateAll()]);
          return;
        default:
          // A new category holds no product yet, so nothing cached shows it.
          return;
      }
    },
  };
}
