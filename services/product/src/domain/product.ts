import type { Money, ProductCreated, ProductUpdated } from '@msa/contracts';

/** The Product aggregate's events, as the contracts define them. */
export type ProductEvent = ProductCreated | ProductUpdated;

/** The event stream of one product. */
export function productStream(productId: string): string {
  return `product-${productId}`;
}

/** A product as its history defines it. */
export interface Product {
  readonly productId: string;
  /** As the admin typed it at creation; never changes. */
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly categoryId: string;
  readonly price: Money;
  /** Whether shoppers see it and can order it. */
  readonly active: boolean;
}

/** The Product aggregate: none on this stream yet, or one in the catalog. */
export type ProductState =
  | { readonly status: 'absent' }
  | { readonly status: 'created'; readonly product: Product };

/** The state of a stream with no events. */
export const initialProductState = (): ProductState => ({ status: 'absent' });

/** Applies one event to the state; events are facts, so it never rejects. */
export function evolveProduct(state: ProductState, event: ProductEvent): ProductState {
  switch (event.eventType) {
    case 'ProductCreated':
      return { status: 'created', product: { ...event.payload } };
    case 'ProductUpdated': {
      if (state.status === 'absent') return state;
      const { name, description, categoryId, price, active } = event.payload;
      return {
        status: 'created',
        product: {
          ...state.product,
          ...(name === undefined ? {} : { name }),
          ...(description === undefined ? {} : { description }),
          ...(categoryId === undefined ? {} : { categoryId }),
          ...(price === undefined ? {} : { price: price.to }),
          ...(active === undefined ? {} : { active }),
        },
      };
    }
    default:
      return assertNever(event);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled product event ${JSON.stringify(value)}`);
}
