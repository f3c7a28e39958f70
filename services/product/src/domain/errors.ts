import { AggregateAlreadyExists, AggregateNotFound, FieldsRefused, InvalidFields, ValueTaken } from '@msa/platform/domain';

/** A product field the domain validates. */
export type ProductField = 'productId' | 'sku' | 'name' | 'description' | 'categoryId' | 'price' | 'active';

/** One field the domain refused, and why. */
export interface FieldRejection<F extends string> {
  readonly field: F;
  readonly message: string;
}

/** A product field breaks the product contract (a blank name, a negative price): the kit's 400. */
export class InvalidProduct extends InvalidFields {
  constructor(override readonly fields: readonly FieldRejection<ProductField>[]) {
    super(fields);
  }
}

/** A category field breaks the category contract (a blank or overlong name): the kit's 400. */
export class InvalidCategory extends InvalidFields {
  constructor(override readonly fields: readonly FieldRejection<'name'>[]) {
    super(fields);
  }
}

/** A product update that names no field at all: the kit's 400 about the body as a whole. */
export class NothingToUpdate extends InvalidFields {
  constructor() {
    const message = 'an update must name at least one of name, description, categoryId, price';
    super([{ message }], message);
  }
}

/** A creation on a product stream that already holds one: the kit's 409. */
export class ProductAlreadyExists extends AggregateAlreadyExists {
  constructor(readonly productId: string) {
    super('product', productId);
  }
}

/** A change to a product that was never created: the kit's 404. */
export class ProductNotFound extends AggregateNotFound {
  constructor(readonly productId: string) {
    super('product', productId);
  }
}

/** A creation on a category stream that already holds one: the kit's 409. */
export class CategoryAlreadyExists extends AggregateAlreadyExists {
  constructor(readonly categoryId: string) {
    super('category', categoryId);
  }
}

/** A rename of a category that was never created: the kit's 404. */
export class CategoryNotFound extends AggregateNotFound {
  constructor(readonly categoryId: string) {
    super('category', categoryId);
  }
}

/**
 * A product placed in a category that does not exist. The id is well-formed, the catalog refuses it:
 * the kit's 422 naming `body.categoryId`, not a 404, since the product is what the request is about.
 */
export class UnknownCategory extends FieldsRefused {
  constructor(readonly categoryId: string) {
    super([{ field: 'categoryId', message: 'names no category' }], `category ${categoryId} does not exist`);
  }
}

/**
 * The SKU, compared case-insensitively, belongs to another product: the kit's 409 naming it. Thrown
 * by the storage adapter, which claims the SKU in the transaction that appends ProductCreated.
 */
export class SkuTaken extends ValueTaken {
  constructor(readonly sku: string) {
    super('sku', `the SKU ${sku} belongs to another product`, 'belongs to another product');
  }
}
