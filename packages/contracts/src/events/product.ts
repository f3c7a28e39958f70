import { z } from 'zod';
import { Money } from '../money.js';
import { defineEvent } from './envelope.js';
import { id, text } from './fields.js';

/** A product was added to the catalog. aggregateId is the product id. */
export const ProductCreated = defineEvent({
  eventType: 'ProductCreated',
  aggregateType: 'Product',
  schemaVersion: 1,
  payload: z.object({
    productId: id,
    name: text(200),
    description: z.string().max(5000),
    category: text(100),
    price: Money,
  }),
  aggregateIdField: 'productId',
});

/** A product was added to the catalog. */
export type ProductCreated = z.infer<typeof ProductCreated.schema>;

/** A product's details changed; only the changed fields are present. aggregateId is the product id. */
export const ProductUpdated = defineEvent({
  eventType: 'ProductUpdated',
  aggregateType: 'Product',
  schemaVersion: 1,
  payload: z
    .object({
      productId: id,
      name: text(200).optional(),
      description: z.string().max(5000).optional(),
      category: text(100).optional(),
      price: Money.optional(),
    })
    .refine(
      ({ productId: _, ...changes }) => Object.values(changes).some((value) => value !== undefined),
      'must change at least one of name, description, category, price',
    ),
  aggregateIdField: 'productId',
});

/** A product's details changed. */
export type ProductUpdated = z.infer<typeof ProductUpdated.schema>;
