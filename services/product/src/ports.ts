import type { CommandContext as HandlerContext } from '@msa/platform';
import type { Category } from './domain/category.js';
import type { CreateProduct, UpdateProduct } from './domain/product-decider.js';
import type { Product } from './domain/product.js';

/**
 * The seams between the HTTP adapter and the storage adapters: the HTTP side speaks in these terms,
 * app.ts plugs in the PostgreSQL write side and the MongoDB read models.
 */

/** Where and when a command comes from; the write side brings the transaction. */
export type CommandContext = Omit<HandlerContext, 'tx'>;

/** A product as of a stream version. */
export interface VersionedProduct {
  readonly product: Product;
  readonly version: number;
}

/** A category as of a stream version. */
export interface VersionedCategory {
  readonly category: Category;
  readonly version: number;
}

/** A new product: the command's fields but the category's state, which the write side reads itself. */
export type NewProduct = Omit<CreateProduct['data'], 'category'>;

/** A product change: the command's fields but the category's state. */
export type ProductChange = Omit<UpdateProduct['data'], 'category'>;

/** The catalog's write side: commands on the event store, and the SKU claims kept beside it. */
export interface CatalogCommands {
  /** @throws InvalidCategory; CategoryAlreadyExists. */
  createCategory(category: Category, context: CommandContext): Promise<VersionedCategory>;
  /** @throws InvalidCategory, CategoryNotFound. */
  renameCategory(category: Category, context: CommandContext): Promise<VersionedCategory>;
  /**
   * Adds a product: the event and the SKU claim commit together.
   *
   * @throws InvalidProduct, UnknownCategory, ProductAlreadyExists from the domain; SkuTaken when another product holds the SKU.
   */
  createProduct(product: NewProduct, context: CommandContext): Promise<VersionedProduct>;
  /** @throws ProductNotFound, NothingToUpdate, InvalidProduct, UnknownCategory. */
  updateProduct(change: ProductChange, context: CommandContext): Promise<VersionedProduct>;
  /** Deactivates (`false`) or reactivates (`true`) a product. @throws ProductNotFound. */
  setActive(productId: string, active: boolean, context: CommandContext): Promise<VersionedProduct>;
}

/** A product as the read model shows it: its category's current name joined in. */
export interface ProductView {
  readonly product: Product;
  /** `undefined` only while the category read model trails the product one. */
  readonly categoryName: string | undefined;
  readonly version: number;
}

/** The orders a listing can take; `-price` is the most expensive first. */
export type ListingSort = 'name' | 'price' | '-price';

/** Where the previous page ended: the last product's sort key and id, so inserts cannot shift pages. */
export interface ListingPosition {
  readonly sort: ListingSort;
  /** The sort key: `[nameKey]` for `name`, `[currency, amountMinor]` for the price orders. */
  readonly key: readonly (string | number)[];
  readonly productId: string;
}

/** A listing request, normalised: the words lower-cased, deduplicated and sorted. */
export interface ListingQuery {
  readonly categoryId?: string | undefined;
  readonly words: readonly string[];
  readonly sort: ListingSort;
  readonly limit: number;
  readonly after?: ListingPosition | undefined;
}

/** A page of active products, and where the next page starts (none after the last page). */
export interface ListingPage {
  readonly items: readonly ProductView[];
  readonly next: ListingPosition | undefined;
}

/** Where a read's answer came from: the read cache, the read model after a miss, or the read model with the cache out of reach. */
export type ReadSource = 'hit' | 'miss' | 'bypass';

/** A read's answer and where it came from. */
export interface SourcedRead<T> {
  readonly value: T;
  readonly source: ReadSource;
}

/** The catalog's reads as the HTTP side makes them: through the read cache, saying whether it answered. */
export interface CatalogReads {
  product(productId: string): Promise<SourcedRead<ProductView | undefined>>;
  list(query: ListingQuery): Promise<SourcedRead<ListingPage>>;
  categories(): Promise<readonly VersionedCategory[]>;
}

/** The catalog's read side: queries on the read models, which trail the event store by moments. */
export interface CatalogQueries {
  /** The product, active or not. */
  product(productId: string): Promise<ProductView | undefined>;
  /** Active products only. */
  list(query: ListingQuery): Promise<ListingPage>;
  /** Every category, by name. */
  categories(): Promise<readonly VersionedCategory[]>;
}
