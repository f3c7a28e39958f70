import { ProductNotFound } from '../../src/domain/errors.js';
import type { ProductCommand } from '../../src/domain/product-decider.js';
import { created, deactivated, product, productId } from './fixtures.js';

const deactivate: ProductCommand = { type: 'DeactivateProduct', data: { productId } };
const reactivate: ProductCommand = { type: 'ReactivateProduct', data: { productId } };

describe('Product: deactivate and reactivate', () => {
  it('given an active product, when it is deactivated, then ProductUpdated says it is inactive', () => {
    product.given([created]).when(deactivate).then([deactivated]);
  });

  it('given an inactive product, when it is deactivated again, then nothing is recorded', () => {
    product.given([created, deactivated]).when(deactivate).then([]);
  });

  it('given an inactive product, when it is reactivated, then ProductUpdated says it is active', () => {
    product
      .given([created, deactivated])
      .when(reactivate)
      .then([{ eventType: 'ProductUpdated', payload: { productId, active: true } }]);
  });

  it('given an active product, when it is reactivated, then nothing is recorded', () => {
    product.given([created]).when(reactivate).then([]);
  });

  it('given no history, when a product is deactivated, then it is not found', () => {
    product.given([]).when(deactivate).thenThrows(ProductNotFound, { productId });
  });
});
