import { InvalidProduct, ProductAlreadyExists, UnknownCategory } from '../../src/domain/errors.js';
import type { CreateProduct } from '../../src/domain/product-decider.js';
import { categoryId, created, kitchen, noCategory, product, productId } from './fixtures.js';

function create(overrides: Partial<CreateProduct['data']> = {}): CreateProduct {
  const { sku, name, description, price, active } = created.payload;
  return { type: 'CreateProduct', data: { productId, sku, name, description, categoryId, price, active, category: kitchen, ...overrides } };
}

describe('Product: create', () => {
  it('given no history and an existing category, when a product is created, then ProductCreated carries every field', () => {
    product.given([]).when(create()).then([created]);
  });

  it('given no history, when the name has spaces around it, then the contract trims it', () => {
    product
      .given([])
      .when(create({ name: '  Stovetop kettle ' }))
      .then([created]);
  });

  it('given no history, when the category does not exist, then the category is refused', () => {
    product.given([]).when(create({ category: noCategory })).thenThrows(UnknownCategory, { categoryId });
  });

  it('given a created product, when it is created again, then it already exists', () => {
    product.given([created]).when(create()).thenThrows(ProductAlreadyExists, { productId });
  });

  it('given no history, when the SKU has characters the contract refuses, then the sku field is rejected', () => {
    product
      .given([])
      .when(create({ sku: 'KET 17!' }))
      .thenThrows(InvalidProduct, { fields: [expect.objectContaining({ field: 'sku' })] });
  });

  it('given no history, when the price is fractional and its currency unknown, then the price field is rejected for both', () => {
    product
      .given([])
      .when(create({ price: { amountMinor: 39.9, currency: 'EUX' } }))
      .thenThrows(InvalidProduct, {
        fields: [expect.objectContaining({ field: 'price' }), expect.objectContaining({ field: 'price' })],
      });
  });

  it('given no history, when the name is blank, then the name field is rejected', () => {
    product
      .given([])
      .when(create({ name: '   ' }))
      .thenThrows(InvalidProduct, { fields: [expect.objectContaining({ field: 'name' })] });
  });
});
