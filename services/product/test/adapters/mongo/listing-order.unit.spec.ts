import { listingFilter } from '../../../src/adapters/mongo/listing-walks.js';
import { afterFilter, positionOf, sortOf } from '../../../src/adapters/mongo/listing-order.js';
import type { ProductDocument } from '../../../src/adapters/mongo/product-read-model.js';

const productId = '6f1c2b7e-1d2a-4c3b-9a8e-2f1e0d9c8b7a';
const categoryId = '0b6f8a8e-6a4e-4f0e-9f51-7d1c3a2b9e10';

const document: ProductDocument = {
  _id: productId,
  version: 2,
  sku: 'KET-17',
  name: 'Stovetop Kettle',
  description: '',
  categoryId,
  currency: 'EUR',
  amountMinor: 3_990,
  priceBuckets: ['EUR:4', 'EUR:4:3', 'EUR:4:39'],
  active: true,
  nameKey: 'stovetop kettle',
  nameBucket: 's',
  words: ['kettle', 'stovetop'],
  createdAt: new Date(0),
  updatedAt: new Date(0),
};

describe('Listing order and keyset filter', () => {
  it('given each order, when sorted, then the id breaks ties in the same direction', () => {
    expect(sortOf('name')).toEqual({ nameKey: 1, _id: 1 });
    expect(sortOf('price')).toEqual({ currency: 1, amountMinor: 1, _id: 1 });
    expect(sortOf('-price')).toEqual({ currency: -1, amountMinor: -1, _id: -1 });
  });

  it('given a document, when its position is taken, then it holds the order’s sort key and the id', () => {
    expect(positionOf(document, 'name')).toEqual({ sort: 'name', key: ['stovetop kettle'], productId });
    expect(positionOf(document, '-price')).toEqual({ sort: '-price', key: ['EUR', 3_990], productId });
  });

  it('given a price position, when filtering after it, then each branch fixes the keys before the one that moves on', () => {
    expect(afterFilter({ sort: 'price', key: ['EUR', 3_990], productId })).toEqual({
      $or: [
        { currency: { $gt: 'EUR' } },
        { currency: 'EUR', amountMinor: { $gt: 3_990 } },
        { currency: 'EUR', amountMinor: 3_990, _id: { $gt: productId } },
      ],
    });
  });

  it('given a descending position, when filtering after it, then every branch compares with $lt', () => {
    expect(afterFilter({ sort: '-price', key: ['EUR', 3_990], productId }).$or).toEqual([
      { currency: { $lt: 'EUR' } },
      { currency: 'EUR', amountMinor: { $lt: 3_990 } },
      { currency: 'EUR', amountMinor: 3_990, _id: { $lt: productId } },
    ]);
  });

  it('given a category and words, when the listing filter is made, then the longest word is an equality FerretDB pushes down and the rest are $all', () => {
    expect(listingFilter({ categoryId, words: ['enamelled', 'kettle', 'steel'] })).toEqual({
      active: true,
      categoryId,
      words: 'enamelled',
      $and: [{ words: { $all: ['kettle', 'steel'] } }],
    });
  });

  it('given one word, when the listing filter is made, then it is a plain equality on the words', () => {
    expect(listingFilter({ words: ['kettle'] })).toEqual({ active: true, words: 'kettle' });
  });

  it('given no category and no words, when the listing filter is made, then it asks only for active products', () => {
    expect(listingFilter({ words: [] })).toEqual({ active: true });
  });
});
