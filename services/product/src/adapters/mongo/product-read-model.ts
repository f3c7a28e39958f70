import type { Currency, Money, ProductCreated, ProductUpdated } from '@msa/contracts';
import type { ReadModelDefinition } from '@msa/platform';
import { nameBucketOf } from './name-buckets.js';
import { priceBucketsOf } from './price-buckets.js';
import { nameKey, searchWords } from './search-words.js';

/** One product in the read model, as of stream version `version`. */
export interface ProductDocument {
  /** The product id. */
  readonly _id: string;
  readonly version: number;
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly categoryId: string;
  /**
   * The price, flat rather than a `Money` object, so that indexes (whose keys are top-level fields
   * here) can hold it and the price orders can sort on currency, then amount.
   */
  readonly currency: Currency;
  readonly amountMinor: number;
  /** The labels of the price tree's nodes the amount falls in (`price-buckets.ts`), which unfiltered price listings walk. */
  readonly priceBuckets: readonly string[];
  readonly active: boolean;
  /** The name's sort key: lower-cased, accents folded. */
  readonly nameKey: string;
  /** The name order's bucket the name key falls in (`name-buckets.ts`), which unfiltered name listings walk. */
  readonly nameBucket: string;
  /** The distinct normalised words of the name and description, matched with `$all` by word search. */
  readonly words: readonly string[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The events the product read model is built from. */
export type ProductDocumentEvent = ProductCreated | ProductUpdated;

/**
 * The indexes the listing's queries use: every listing filters on `active`, most on a category, and
 * sorts by name or by price with the id as the tie-break that keeps cursors exact. How much they help
 * on FerretDB is measured in the README.
 */
const indexes: NonNullable<ReadModelDefinition<ProductDocument, ProductDocumentEvent>['indexes']> = [
  { name: 'by_name', key: { active: 1, nameKey: 1, _id: 1 } },
  { name: 'by_name_bucket', key: { active: 1, nameBucket: 1, nameKey: 1, _id: 1 } },
  { name: 'by_category_name', key: { active: 1, categoryId: 1, nameKey: 1, _id: 1 } },
  { name: 'by_price', key: { active: 1, currency: 1, amountMinor: 1, _id: 1 } },
  { name: 'by_price_bucket', key: { active: 1, priceBuckets: 1 } },
  { name: 'by_category_price', key: { active: 1, categoryId: 1, currency: 1, amountMinor: 1, _id: 1 } },
  { name: 'by_word', key: { words: 1 } },
];

/**
 * The `catalog_products` read model: one whole document per product, guarded by the stream version.
 * The category's name is not copied in: a rename would have to rewrite every product of the category
 * from an event of another stream, so queries join it from `catalog_categories` instead.
 */
export const productReadModel: ReadModelDefinition<ProductDocument, ProductDocumentEvent> = {
  name: 'catalog_products',
  handles: ['ProductCreated', 'ProductUpdated'],
  indexes,
  evolve(product, event) {
    const at = new Date(event.occurredAt);
    switch (event.eventType) {
      case 'ProductCreated': {
        const { sku, name, description, categoryId, price, active } = event.payload;
        return {
          sku,
          name,
          description,
          categoryId,
          active,
          ...priceFields(price),
          ...nameKeys(name),
          words: searchWords(name, description),
          createdAt: at,
          updatedAt: at,
        };
      }
      case 'ProductUpdated': {
        if (product === undefined) return undefined;
        const { name = product.name, description = product.description, categoryId = product.categoryId, active = product.active, price } =
          event.payload;
        return {
          ...product,
          name,
          description,
          categoryId,
          active,
          ...(price === undefined ? {} : priceFields(price.to)),
          ...nameKeys(name),
          words: searchWords(name, description),
          updatedAt: at,
        };
      }
      default:
        return assertNever(event);
    }
  },
};

/** The name's sort key and the bucket it falls in. */
function nameKeys(name: string): Pick<ProductDocument, 'nameKey' | 'nameBucket'> {
  const key = nameKey(name);
  return { nameKey: key, nameBucket: nameBucketOf(key) };
}

/** The price's flat fields and the price tree's nodes it falls in. */
function priceFields({ currency, amountMinor }: Money): Pick<ProductDocument, 'currency' | 'amountMinor' | 'priceBuckets'> {
  return { currency, amountMinor, priceBuckets: priceBucketsOf(currency, amountMinor) };
}

function assertNever(value: never): never {
  throw new Error(`unhandled product read model event ${JSON.stringify(value)}`);
}
