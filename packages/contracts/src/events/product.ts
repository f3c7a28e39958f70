import { z } from 'zod';
import { Money } from '../money.js';
import { defineEvent } from './envelope.js';
import { id, text } from './fields.js';

/**
 * A stock-keeping unit: letters, digits and `-`, `_`, `.`, at most 64. Unique in the catalog without
 * regard to case, so `KET-17` and `ket-17` are one SKU; events carry it as the admin typed it.
 */
export const Sku = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');

/** A product was added to the catalog. aggregateId is the product id. */
export const ProductCreated = defineEvent({
  eventType: 'ProductCreated',
  aggregateType: 'Product',
  schemaVersion: 1,
  payload: z.object({
    productId: id,
    sku: Sku,
    name: text(200),
    description: z.string().max(5000),
    categoryId: id,
    price: Money,
    /** Whether the product can be ordered; an inactive product stays in the catalog, hidden from shoppers. */
    active: z.boolean(),
  }),
  aggregateIdField: 'productId',
});

/** A product was added to the catalog. */
export type ProductCreated = z.infer<typeof ProductCreated.schema>;

/** A price change: what the product cost before this event and what it costs from now on. */
export const PriceChange = z.object({ from: Money, to: Money });

/** A price change. */
export type PriceChange = z.infer<typeof PriceChange>;

/**
 * A product's details changed; only the changed fields are present. `price` carries the old and the
 * new price, so a consumer keeping its own price list can check it saw the one before; `active` is
 * a deactivation (false) or a reactivation (true). aggregateId is the product id.
 */
export const ProductUpdated = defineEvent({
  eventType: 'ProductUpdated',
  aggregateType: 'Product',
  schemaVersion: 1,
  payload: z
    .object({
      productId: id,
      name: text(200).optional(),
      description: z.string().max(5000).optional(),
      categoryId: id.optional(),
      price: PriceChange.optional(),
      active: z.boolean().optional(),
    })
    .refine(
      ({ productId: _, ...changes }) => Object.values(changes).some((value) => value !== undefined),
      'must change at least one of name, description, categoryId, price, active',
    ),
  aggregateIdField: 'productId',
});

/** A product's details changed. */
export type ProductUpdated = z.infer<typeof ProductUpdated.schema>;

/** A category was added to the catalog. aggregateId is the category id. */
export const CategoryCreated = defineEvent({
  eventType: 'CategoryCreated',
  aggregateType: 'Category',
  schemaVersion: 1,
  payload: z.object({ categoryId: id, name: text(100) }),
  aggregateIdField: 'categoryId',
});

/** A category was added to the catalog. */
export type CategoryCreated = z.infer<typeof CategoryCreated.schema>;

/** A category was renamed; its products keep it. aggregateId is the category id. */
export const CategoryRenamed = defineEvent({
  eventType: 'CategoryRenamed',
  aggregateType: 'Category',
  schemaVersion: 1,
  payload: z.object({ categoryId: id, name: text(100), previousName: text(100) }),
  aggregateIdField: 'categoryId',
});

/** A category was renamed. */
export type CategoryRenamed = z.infer<typeof CategoryRenamed.schema>;
