import { type Money, minorUnitDigits } from '@msa/contracts';
import type { VersionedCategory, ProductView, VersionedProduct } from '../../ports.js';

/** `1250 USD` → `12.50`, `59900 KRW` → `59900`: exact, from the integer, never through a float. */
export function decimalOf({ amountMinor, currency }: Money): string {
  const digits = minorUnitDigits(currency);
  if (digits === 0) return String(amountMinor);
  const padded = String(amountMinor).padStart(digits + 1, '0');
  return `${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/** A product as the API returns it; the category's name when the caller knows it. */
export function productResponse({ product, version }: VersionedProduct, categoryName?: string) {
  const { productId, sku, name, description, categoryId, price, active } = product;
  return {
    id: productId,
    sku,
    name,
    description,
    category: { id: categoryId, ...(categoryName === undefined ? {} : { name: categoryName }) },
    price: { ...price, amount: decimalOf(price) },
    active,
    version,
  };
}

/** A product of the read model as the API returns it. */
export function viewResponse(view: ProductView) {
  return productResponse(view, view.categoryName);
}

export function categoryResponse({ category, version }: VersionedCategory) {
  return { id: category.categoryId, name: category.name, version };
}

/** The strong validator of a product at a stream version: it changes exactly when the product does. */
export function productEtag(productId: string, version: number): string {
  return `"${productId}.${version}"`;
}

/**
 * Whether an `If-None-Match` header matches `etag`, by the weak comparison RFC 9110 prescribes for
 * it: `W/` prefixes are ignored, `*` matches any current representation.
 */
export function noneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const candidate = tag.trim().replace(/^W\//, '');
    return candidate === '*' || candidate === etag;
  });
}
