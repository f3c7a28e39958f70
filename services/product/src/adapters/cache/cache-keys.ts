import type { ListingQuery } from '../../ports.js';

/**
 * The cache key of a listing page: the normalised query, so equivalent requests share one entry
 * (`q=Steel kettle` and `q=kettle  STEEL` are the same words, sorted). Each part is tagged and
 * URI-encoded, so no value can run into the next part.
 */
export function listingKey({ categoryId, words, sort, limit, after }: ListingQuery): string {
  const position = after === undefined ? '' : JSON.stringify([after.sort, after.key, after.productId]);
  return [
    `c=${categoryId ?? '*'}`,
    `w=${words.map(encodeURIComponent).join(',')}`,
    `s=${sort}`,
    `l=${limit}`,
    `a=${encodeURIComponent(position)}`,
  ].join('&');
}

/** The cache key of a product's detail: its id. */
export function detailKey(productId: string): string {
  return productId;
}
