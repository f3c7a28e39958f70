/**
 * The form under which a SKU is unique: case-insensitive, so `KET-17` and `ket-17` are one SKU. The
 * contract allows only ASCII letters, digits and `._-`, so lower-casing needs no locale.
 */
export function skuKey(sku: string): string {
  return sku.trim().toLowerCase();
}
