import { randomUUID } from 'node:crypto';
import { createEvent, type EventOf, type EventType, type NewEvent } from '@msa/contracts';
import { categoryReadModel } from '../../../src/adapters/mongo/category-read-model.js';
import { type ProductDocument, productReadModel } from '../../../src/adapters/mongo/product-read-model.js';

const productId = '6f1c2b7e-1d2a-4c3b-9a8e-2f1e0d9c8b7a';
const categoryId = '0b6f8a8e-6a4e-4f0e-9f51-7d1c3a2b9e10';
const otherCategoryId = '3c2d1e0f-4b5a-4c6d-8e7f-9a0b1c2d3e4f';

/** The event as the store would hand it to the projection: at `version`, at `occurredAt`. */
function event<T extends EventType>(draft: Pick<NewEvent<T>, 'eventType' | 'payload'>, version: number, occurredAt: string): EventOf<T> {
  return createEvent<T>({ ...draft, eventId: randomUUID(), version, occurredAt, correlationId: 'spec', causationId: 'spec' } as NewEvent<T>);
}

const created = event<'ProductCreated'>(
  {
    eventType: 'ProductCreated',
    payload: {
    productId,
    sku: 'KET-17',
    name: 'Stovetop Kettle',
    description: 'Enamelled steel',
    categoryId,
    price: { amountMinor: 3_990, currency: 'EUR' },
      active: true,
    },
  },
  1,
  '2025-03-01T09:00:00.000Z',
);

describe('Catalog read models: evolve', () => {
  it('given a creation, when applied, then the document holds the fields, the flat price, the name key, its bucket and the words', () => {
    expect(productReadModel.evolve(undefined, created)).toEqual({
      sku: 'KET-17',
      name: 'Stovetop Kettle',
      description: 'Enamelled steel',
      categoryId,
      currency: 'EUR',
      amountMinor: 3_990,
      priceBuckets: ['EUR:4', 'EUR:4:3', 'EUR:4:39'],
      active: true,
      nameKey: 'stovetop kettle',
      nameBucket: 's',
      words: ['enamelled', 'kettle', 'steel', 'stovetop'],
      createdAt: new Date('2025-03-01T09:00:00.000Z'),
      updatedAt: new Date('2025-03-01T09:00:00.000Z'),
    });
  });

  it('given a document, when a rename, a move, a price change and a deactivation arrive, then the name key, the words and the buckets follow the new name and price', () => {
    const stored = { ...productReadModel.evolve(undefined, created), _id: productId, version: 1 } as ProductDocument;
    const updated = event<'ProductUpdated'>(
      {
        eventType: 'ProductUpdated',
        payload: {
        productId,
        name: 'Whistling kettle',
        categoryId: otherCategoryId,
        price: { from: { amountMinor: 3_990, currency: 'EUR' }, to: { amountMinor: 4_490, currency: 'EUR' } },
          active: false,
        },
      },
      2,
      '2025-03-02T09:00:00.000Z',
    );

    expect(productReadModel.evolve(stored, updated)).toMatchObject({
      name: 'Whistling kettle',
      nameKey: 'whistling kettle',
      nameBucket: 'w',
      words: ['enamelled', 'kettle', 'steel', 'whistling'],
      categoryId: otherCategoryId,
      amountMinor: 4_490,
      priceBuckets: ['EUR:4', 'EUR:4:4', 'EUR:4:44'],
      active: false,
      createdAt: new Date('2025-03-01T09:00:00.000Z'),
      updatedAt: new Date('2025-03-02T09:00:00.000Z'),
    });
  });

  it('given no document, when an update arrives, then there is nothing to apply it to', () => {
    expect(productReadModel.evolve(undefined, event<'ProductUpdated'>({ eventType: 'ProductUpdated', payload: { productId, active: false } }, 2, '2025-03-02T09:00:00.000Z'))).toBeUndefined();
  });

  it('given a category, when it is renamed, then the document holds the new name and its sort key', () => {
    const category = event<'CategoryCreated'>({ eventType: 'CategoryCreated', payload: { categoryId, name: 'Kitchen' } }, 1, '2025-03-01T09:00:00.000Z');
    const renamed = event<'CategoryRenamed'>(
      { eventType: 'CategoryRenamed', payload: { categoryId, name: 'Cookware', previousName: 'Kitchen' } },
      2,
      '2025-03-02T09:00:00.000Z',
    );
    const stored = { ...categoryReadModel.evolve(undefined, category), _id: categoryId, version: 1 } as { _id: string; version: number; name: string; nameKey: string };

    expect(categoryReadModel.evolve(stored, renamed)).toEqual({ name: 'Cookware', nameKey: 'cookware' });
  });
});
