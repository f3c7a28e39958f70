import type { EventDraft } from '@msa/platform';
import { deciderSpec } from '@msa/platform/testing';
import { categoryDecider } from '../../src/domain/category-decider.js';
import type { CategoryEvent, CategoryState } from '../../src/domain/category.js';
import { productDecider } from '../../src/domain/product-decider.js';
import type { ProductEvent } from '../../src/domain/product.js';

/** Given/when/then for the Product aggregate. */
export const product = deciderSpec(productDecider);

/** Given/when/then for the Category aggregate. */
export const category = deciderSpec(categoryDecider);

export const productId = '6f1c2b7e-1d2a-4c3b-9a8e-2f1e0d9c8b7a';
export const categoryId = '0b6f8a8e-6a4e-4f0e-9f51-7d1c3a2b9e10';
export const otherCategoryId = '3c2d1e0f-4b5a-4c6d-8e7f-9a0b1c2d3e4f';

export const kitchen: CategoryState = { status: 'created', category: { categoryId, name: 'Kitchen' } };
export const garden: CategoryState = { status: 'created', category: { categoryId: otherCategoryId, name: 'Garden' } };
export const noCategory: CategoryState = { status: 'absent' };

export const created = {
  eventType: 'ProductCreated',
  payload: {
    productId,
    sku: 'KET-17',
    name: 'Stovetop kettle',
    description: 'Enamelled steel, 1.5 l',
    categoryId,
    price: { amountMinor: 3_990, currency: 'EUR' },
    active: true,
  },
} as const satisfies EventDraft<ProductEvent>;

export const deactivated = { eventType: 'ProductUpdated', payload: { productId, active: false } } as const satisfies EventDraft<ProductEvent>;

export const categoryCreated = {
  eventType: 'CategoryCreated',
  payload: { categoryId, name: 'Kitchen' },
} as const satisfies EventDraft<CategoryEvent>;
