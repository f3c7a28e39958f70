import { InvalidProduct, NothingToUpdate, ProductNotFound, UnknownCategory } from '../../src/domain/errors.js';
import type { UpdateProduct } from '../../src/domain/product-decider.js';
import { created, garden, noCategory, otherCategoryId, product, productId } from './fixtures.js';

function update(changes: Omit<UpdateProduct['data'], 'productId'>): UpdateProduct {
  return { type: 'UpdateProduct', data: { productId, ...changes } };
}

describe('Product: update', () => {
  it('given a product, when the price changes, then ProductUpdated carries the old and the new price', () => {
    product
      .given([created])
      .when(update({ price: { amountMinor: 4_490, currency: 'EUR' } }))
      .then([
        {
          eventType: 'ProductUpdated',
          payload: { productId, price: { from: { amountMinor: 3_990, currency: 'EUR' }, to: { amountMinor: 4_490, currency: 'EUR' } } },
        },
      ]);
  });

  it('given a product, when the price equals the current one, then nothing is recorded', () => {
    product
      .given([created])
      .when(update({ price: { amountMinor: 3_990, currency: 'EUR' } }))
      .then([]);
  });

  it('given a product, when only the currency of the price changes, then it is a price change', () => {
    product
      .given([created])
      .when(update({ price: { amountMinor: 3_990, currency: 'USD' } }))
      .then([
        {
          eventType: 'ProductUpdated',
          payload: { productId, price: { from: { amountMinor: 3_990, currency: 'EUR' }, to: { amountMinor: 3_990, currency: 'USD' } } },
        },
      ]);
  });

  it('given a product, when some requested fields equal the current ones, then only the others are in the event', () => {
    product
      .given([created])
      .when(update({ name: 'Stovetop kettle', description: 'Enamelled steel, 2 l' }))
      .then([{ eventType: 'ProductUpdated', payload: { productId, description: 'Enamelled steel, 2 l' } }]);
  });

  it('given a product, when every requested field equals the current one, then nothing is recorded', () => {
    product
      .given([created])
      .when(update({ name: ' Stovetop kettle ', description: 'Enamelled steel, 1.5 l', categoryId: created.payload.categoryId }))
      .then([]);
  });

  it('given a product, when it moves to an existing category, then the new category is recorded', () => {
    product
      .given([created])
      .when(update({ categoryId: otherCategoryId, category: garden }))
      .then([{ eventType: 'ProductUpdated', payload: { productId, categoryId: otherCategoryId } }]);
  });

  it('given a product, when it moves to a category that does not exist, then the category is refused', () => {
    product
      .given([created])
      .when(update({ categoryId: otherCategoryId, category: noCategory }))
      .thenThrows(UnknownCategory, { categoryId: otherCategoryId });
  });

  it('given a product, when the update names no field, then it is rejected', () => {
    product.given([created]).when(update({})).thenThrows(NothingToUpdate);
  });

  it('given a product, when the new description is over 5000 characters, then the description field is rejected', () => {
    product
      .given([created])
      .when(update({ description: 'x'.repeat(5_001) }))
      .thenThrows(InvalidProduct, { fields: [expect.objectContaining({ field: 'description' })] });
  });

  it('given no history, when a product is updated, then it is not found', () => {
    product
      .given([])
      .when(update({ name: 'Kettle' }))
      .thenThrows(ProductNotFound, { productId });
  });
});
