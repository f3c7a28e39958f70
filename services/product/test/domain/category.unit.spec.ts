import { CategoryAlreadyExists, CategoryNotFound, InvalidCategory } from '../../src/domain/errors.js';
import type { CategoryCommand } from '../../src/domain/category-decider.js';
import { category, categoryCreated, categoryId } from './fixtures.js';

const create = (name: string): CategoryCommand => ({ type: 'CreateCategory', data: { categoryId, name } });
const rename = (name: string): CategoryCommand => ({ type: 'RenameCategory', data: { categoryId, name } });

describe('Category: create and rename', () => {
  it('given no history, when a category is created, then CategoryCreated carries its trimmed name', () => {
    category.given([]).when(create(' Kitchen ')).then([categoryCreated]);
  });

  it('given a category, when it is created again, then it already exists', () => {
    category.given([categoryCreated]).when(create('Kitchen')).thenThrows(CategoryAlreadyExists, { categoryId });
  });

  it('given no history, when the name is blank, then the name field is rejected', () => {
    category
      .given([])
      .when(create('  '))
      .thenThrows(InvalidCategory, { fields: [expect.objectContaining({ field: 'name' })] });
  });

  it('given a category, when it is renamed, then CategoryRenamed carries the new and the previous name', () => {
    category
      .given([categoryCreated])
      .when(rename('Cookware'))
      .then([{ eventType: 'CategoryRenamed', payload: { categoryId, name: 'Cookware', previousName: 'Kitchen' } }]);
  });

  it('given a category, when it is renamed to its own name, then nothing is recorded', () => {
    category.given([categoryCreated]).when(rename('Kitchen ')).then([]);
  });

  it('given no history, when a category is renamed, then it is not found', () => {
    category.given([]).when(rename('Cookware')).thenThrows(CategoryNotFound, { categoryId });
  });

  it('given a category, when the new name is over 100 characters, then the name field is rejected', () => {
    category
      .given([categoryCreated])
      .when(rename('x'.repeat(101)))
      .thenThrows(InvalidCategory, { fields: [expect.objectContaining({ field: 'name' })] });
  });
});
