import { initialCategoryState } from '../../src/domain/category.js';
import { initialProductState } from '../../src/domain/product.js';
import { category, categoryCreated, categoryId, created, deactivated, otherCategoryId, product, productId } from './fixtures.js';

describe('Product and Category: evolve', () => {
  it('given no events, when folded, then there is no product', () => {
    product.given([]).thenState(initialProductState());
  });

  it('given a creation, a price change, a move and a deactivation, when folded, then the latest value of each field wins', () => {
    product
      .given([
        created,
        {
          eventType: 'ProductUpdated',
          payload: { productId, price: { from: created.payload.price, to: { amountMinor: 4_490, currency: 'EUR' } }, name: 'Kettle' },
        },
        { eventType: 'ProductUpdated', payload: { productId, categoryId: otherCategoryId } },
        deactivated,
      ])
      .thenState({
        status: 'created',
        product: { ...created.payload, name: 'Kettle', categoryId: otherCategoryId, price: { amountMinor: 4_490, currency: 'EUR' }, active: false },
      });
  });

  it('given no events, when folded, then there is no category', () => {
    category.given([]).thenState(initialCategoryState());
  });

  it('given a category renamed twice, when folded, then the last name holds', () => {
    category
      .given([
        categoryCreated,
        { eventType: 'CategoryRenamed', payload: { categoryId, name: 'Cookware', previousName: 'Kitchen' } },
        { eventType: 'CategoryRenamed', payload: { categoryId, name: 'Cooking', previousName: 'Cookware' } },
      ])
      .thenState({ status: 'created', category: { categoryId, name: 'Cooking' } });
  });
});
