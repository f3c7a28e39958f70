import type { Collection, Filter } from 'mongodb';
import type { ListingPosition, ListingQuery } from '../../ports.js';
import { afterFilter, positionOf, sortOf } from './listing-order.js';
import { nameBucketsFrom } from './name-buckets.js';
import { firstLeafOf, firstNode, isLastChild, labelOf, leafOf, nextOf, parentOf, type PriceNode } from './price-buckets.js';
import type { ProductDocument } from './product-read-model.js';

/**
 * Fewer products than this in a price node, read from its start, and its neighbours are taken to be
 * as sparse: the walk asks for the parent's rest in one query (about ten such nodes' worth) rather
 * than one query per node, each of which costs FerretDB a scan of the collection's table.
 */
const SPARSE = 8;

type Find = (equalities: Filter<ProductDocument>, after: ListingPosition | undefined, limit: number) => Promise<ProductDocument[]>;

/**
 * The MongoDB filter of a listing query: active products, of the category, holding every word.
 * FerretDB v1 hands PostgreSQL only top-level equality on a string or boolean (and `$ne`), then
 * fetches every document that matches and applies the rest (`$all`, the cursor's range) and the sort
 * itself; so the longest word, the likeliest to be rare, is also asked for by plain equality, which
 * on the `words` array PostgreSQL answers as containment and which cuts the documents FerretDB must read.
 */
export function listingFilter({ categoryId, words, after }: Pick<ListingQuery, 'categoryId' | 'words' | 'after'>): Filter<ProductDocument> {
  const [longest] = [...words].sort((a, b) => b.length - a.length || a.localeCompare(b));
  const others = words.filter((word) => word !== longest);
  return {
    active: true,
    ...(categoryId === undefined ? {} : { categoryId }),
    ...(longest === undefined ? {} : { words: longest }),
    ...(others.length === 0 ? {} : { $and: [{ words: { $all: others } }] }),
    ...(after === undefined ? {} : afterFilter(after)),
  };
}

/**
 * The first `wanted` active products of a listing after its cursor, in its order. A listing with a
 * category or words reads only what those equalities match, a few hundred products, in one query.
 * An unfiltered one has no equality but `active` to hand PostgreSQL, so FerretDB would read and sort
 * every active product for each page; it walks the order's buckets instead (name buckets, or the
 * price tree of the one currency the catalog holds), one equality query per bucket, until the page is
 * full. Every query keeps the cursor's range and the sort, which FerretDB applies to the few
 * documents it read. `currencyHint` is the currency the caller last saw, only a guess to verify.
 */
export async function walkListing(collection: Collection<ProductDocument>, query: ListingQuery, wanted: number, currencyHint?: string): Promise<ProductDocument[]> {
  const find: Find = (equalities, after, limit) =>
    collection
      .find({ ...listingFilter({ ...query, after }), ...equalities })
      .sort(sortOf(query.sort))
      .limit(limit)
      .toArray();
  if (query.categoryId !== undefined || query.words.length > 0) return find({}, query.after, wanted);
  if (query.sort === 'name') return walkNames(find, query.after, wanted);
  const guess = query.after === undefined ? currencyHint : String(query.after.key[0]);
  // The check reads no document, so it runs beside the walk of the guessed currency, whose products
  // are kept only once the check confirms the guess.
  const [currency, walked] = await Promise.all([onlyCurrency(collection, guess), guess === undefined ? undefined : walkPrices(find, guess, query, wanted)]);
  if (currency === undefined) return [];
  if (currency === null) return find({}, query.after, wanted);
  return currency === guess && walked !== undefined ? walked : walkPrices(find, currency, query, wanted);
}

async function walkNames(find: Find, after: ListingPosition | undefined, wanted: number): Promise<ProductDocument[]> {
  const found: ProductDocument[] = [];
  for (const nameBucket of nameBucketsFrom(after === undefined ? undefined : String(after.key[0]))) {
    found.push(...(await find({ nameBucket }, after, wanted - found.length)));
    if (found.length === wanted) break;
  }
  return found;
}

/**
 * The one currency every active product has (`null` when they have several, `undefined` when there is
 * none). `$ne` is pushed down, so checking a guess costs one scan of the table without reading a
 * document; without a guess, any one product's currency is the guess.
 */
async function onlyCurrency(collection: Collection<ProductDocument>, guess: string | undefined): Promise<string | null | undefined> {
  const any = async (filter: Filter<ProductDocument>) => (await collection.find({ active: true, ...filter }).limit(1).next())?.currency;
  const first = guess ?? (await any({}));
  if (first === undefined) return undefined;
  const other = await any({ currency: { $ne: first } });
  if (other === undefined) return first;
  // The guess (the cursor's, or a stale hint) may simply be gone: try the currency found instead.
  return guess !== undefined && (await any({ currency: { $ne: other } })) === undefined ? other : null;
}

/**
 * Walks the price tree of `currency` in the listing's direction from the cursor's leaf (or the first
 * amount length). A node read from its start that proves sparse sends the walk up to its parent's
 * rest; otherwise the walk goes on to the next node's first leaf, so a dense region is read a leaf at
 * a time and never as a whole length.
 */
async function walkPrices(find: Find, currency: string, query: ListingQuery, wanted: number): Promise<ProductDocument[]> {
  const direction = query.sort === 'price' ? 1 : -1;
  let after = query.after;
  if (after !== undefined && after.key[0] !== currency) {
    // The cursor's currency has no product any more: the one left is all after it, or all before.
    if ((String(after.key[0]) < currency) !== (direction === 1)) return [];
    after = undefined;
  }
  const found: ProductDocument[] = [];
  let node: PriceNode | undefined = after === undefined ? firstNode(direction) : leafOf(Number(after.key[1]));
  let fromStart = after === undefined;
  while (node !== undefined) {
    const page = await find({ priceBuckets: labelOf(currency, node) }, after, wanted - found.length);
    found.push(...page);
    const last = page.at(-1);
    if (found.length === wanted) break;
    if (last !== undefined) after = positionOf(last, query.sort);
    const sparse = fromStart && page.length < SPARSE;
    const parent = parentOf(node);
    fromStart = true;
    if (sparse && parent !== undefined && !isLastChild(node, direction)) {
      node = parent;
      continue;
    }
    const next = nextOf(node, direction);
    node = next === undefined || (sparse && next.digits !== '') ? next : firstLeafOf(next, direction);
  }
  return found;
}
