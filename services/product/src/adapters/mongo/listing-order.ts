import type { ListingPosition, ListingSort } from '../../ports.js';
import type { ProductDocument } from './product-read-model.js';

/** The document fields each order sorts on, before the id that breaks ties. */
type SortField = 'nameKey' | 'currency' | 'amountMinor';

interface ListingOrder {
  readonly fields: readonly SortField[];
  /** 1 ascending, -1 descending, for every field and the id alike, so one index serves both ways. */
  readonly direction: 1 | -1;
}

/**
 * The listing orders. A price order sorts by currency first: amounts in different currencies do not
 * compare, and keeping a currency's products together keeps the order meaningful in a mixed catalog.
 */
export const listingOrders: Readonly<Record<ListingSort, ListingOrder>> = {
  name: { fields: ['nameKey'], direction: 1 },
  price: { fields: ['currency', 'amountMinor'], direction: 1 },
  '-price': { fields: ['currency', 'amountMinor'], direction: -1 },
};

/** The MongoDB sort document of an order. */
export function sortOf(sort: ListingSort): Record<string, 1 | -1> {
  const { fields, direction } = listingOrders[sort];
  return { ...Object.fromEntries(fields.map((field) => [field, direction])), _id: direction };
}

/** Where `document` sits in `sort`'s order: what a cursor after it holds. */
export function positionOf(document: ProductDocument, sort: ListingSort): ListingPosition {
  return { sort, key: listingOrders[sort].fields.map((field) => document[field]), productId: document._id };
}

/**
 * The filter of the documents strictly after `position` in its order (keyset pagination): for sort
 * fields a, b, `a > A or (a = A and b > B) or (a = A and b = B and _id > id)`, with `<` when
 * descending. A product inserted before the position cannot shift the next page, as skipping would.
 */
export function afterFilter({ sort, key, productId }: ListingPosition): Record<string, unknown> {
  const { fields, direction } = listingOrders[sort];
  const beyond = direction === 1 ? '$gt' : '$lt';
  const values: readonly unknown[] = [...key, productId];
  const names: readonly string[] = [...fields, '_id'];
  const branches = names.map((name, index) => ({
    ...Object.fromEntries(names.slice(0, index).map((equal, at) => [equal, values[at]])),
    [name]: { [beyond]: values[index] },
  }));
  return { $or: branches };
}
