import { type Money, ProductCreated } from '@msa/contracts';
import type { Decider, EventDraft } from '@msa/platform';
import type { z } from 'zod';
import type { CategoryState } from './category.js';
import { InvalidProduct, NothingToUpdate, ProductAlreadyExists, ProductNotFound, UnknownCategory } from './errors.js';
import { evolveProduct, initialProductState, type Product, type ProductEvent, type ProductState } from './product.js';

/**
 * Adds a product to the catalog. `category` is the state of the category stream `categoryId` names,
 * read by the write side in the same transaction: categories are never removed, so one that exists
 * then still exists when the product commits.
 */
export interface CreateProduct {
  readonly type: 'CreateProduct';
  readonly data: {
    readonly productId: string;
    readonly sku: string;
    readonly name: string;
    readonly description: string;
    readonly categoryId: string;
    readonly price: Money;
    readonly active: boolean;
    readonly category: CategoryState;
  };
}

/** Changes some of a product's details; the SKU is not among them. `category` as for CreateProduct, when `categoryId` is given. */
export interface UpdateProduct {
  readonly type: 'UpdateProduct';
  readonly data: {
    readonly productId: string;
    readonly name?: string | undefined;
    readonly description?: string | undefined;
    readonly categoryId?: string | undefined;
    readonly price?: Money | undefined;
    readonly category?: CategoryState | undefined;
  };
}

/** Hides a product from shoppers; it stays in the catalog. */
export interface DeactivateProduct {
  readonly type: 'DeactivateProduct';
  readonly data: { readonly productId: string };
}

/** Shows a deactivated product to shoppers again. */
export interface ReactivateProduct {
  readonly type: 'ReactivateProduct';
  readonly data: { readonly productId: string };
}

/** What can be asked of the Product aggregate. */
export type ProductCommand = CreateProduct | UpdateProduct | DeactivateProduct | ReactivateProduct;

type ProductDraft = EventDraft<ProductEvent>;

/**
 * Decides which events a command produces against the current state, or throws the rule it breaks.
 * A command that changes nothing (a price equal to the current one, deactivating an inactive
 * product) records nothing, so repeating a request is harmless.
 */
export function decideProduct(command: ProductCommand, state: ProductState): ProductDraft[] {
  switch (command.type) {
    case 'CreateProduct':
      return create(command.data, state);
    case 'UpdateProduct':
      return update(command.data, current(state, command.data.productId));
    case 'DeactivateProduct':
      return activate(current(state, command.data.productId), false);
    case 'ReactivateProduct':
      return activate(current(state, command.data.productId), true);
    default:
      return assertNever(command);
  }
}

function create({ category, ...data }: CreateProduct['data'], state: ProductState): ProductDraft[] {
  if (state.status === 'created') throw new ProductAlreadyExists(data.productId);
  const payload = valid(productFields, data);
  if (category.status === 'absent') throw new UnknownCategory(data.categoryId);
  return [{ eventType: 'ProductCreated', payload }];
}

const UPDATABLE = ['name', 'description', 'categoryId', 'price'] as const;

function update({ productId, category, ...requested }: UpdateProduct['data'], product: Product): ProductDraft[] {
  if (UPDATABLE.every((field) => requested[field] === undefined)) throw new NothingToUpdate();
  const { name, description, categoryId, price } = valid(productFields.pick({ name: true, description: true, categoryId: true, price: true }).partial(), requested);
  const changes = {
    ...(name !== undefined && name !== product.name && { name }),
    ...(description !== undefined && description !== product.description && { description }),
    ...(categoryId !== undefined && categoryId !== product.categoryId && { categoryId }),
    ...(price !== undefined && !samePrice(price, product.price) && { price: { from: product.price, to: price } }),
  };
  if (changes.categoryId !== undefined && category?.status !== 'created') throw new UnknownCategory(changes.categoryId);
  return Object.keys(changes).length === 0 ? [] : [{ eventType: 'ProductUpdated', payload: { productId, ...changes } }];
}

function activate(product: Product, active: boolean): ProductDraft[] {
  return product.active === active ? [] : [{ eventType: 'ProductUpdated', payload: { productId: product.productId, active } }];
}

function current(state: ProductState, productId: string): Product {
  if (state.status === 'absent') throw new ProductNotFound(productId);
  return state.product;
}

function samePrice(a: Money, b: Money): boolean {
  return a.amountMinor === b.amountMinor && a.currency === b.currency;
}

/** The product fields with the contract's own schemas, so the domain and the event agree on what is valid. */
const productFields = ProductCreated.payload;

function valid<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidProduct(
    result.error.issues.map((issue) => ({
      field: productFields.keyof().parse(issue.path[0]),
      message: issue.message,
    })),
  );
}

/** The Product aggregate for the platform's command handler. */
export const productDecider: Decider<ProductState, ProductCommand, 'Product'> = {
  aggregateType: 'Product',
  initialState: initialProductState,
  evolve: evolveProduct,
  decide: decideProduct,
};

function assertNever(value: never): never {
  throw new Error(`unhandled product command ${JSON.stringify(value)}`);
}
