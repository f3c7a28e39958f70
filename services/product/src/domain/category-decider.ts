import { CategoryCreated } from '@msa/contracts';
import type { Decider, EventDraft } from '@msa/platform';
import { type CategoryEvent, type CategoryState, evolveCategory, initialCategoryState } from './category.js';
import { CategoryAlreadyExists, CategoryNotFound, InvalidCategory } from './errors.js';

/** Adds a category to the catalog. */
export interface CreateCategory {
  readonly type: 'CreateCategory';
  readonly data: { readonly categoryId: string; readonly name: string };
}

/** Gives a category a new name; its products keep it. */
export interface RenameCategory {
  readonly type: 'RenameCategory';
  readonly data: { readonly categoryId: string; readonly name: string };
}

/** What can be asked of the Category aggregate. */
export type CategoryCommand = CreateCategory | RenameCategory;

type CategoryDraft = EventDraft<CategoryEvent>;

/** Decides a category command; a rename to the current name records nothing. */
export function decideCategory(command: CategoryCommand, state: CategoryState): CategoryDraft[] {
  const { categoryId } = command.data;
  const name = validName(command.data.name);
  switch (command.type) {
    case 'CreateCategory':
      if (state.status === 'created') throw new CategoryAlreadyExists(categoryId);
      return [{ eventType: 'CategoryCreated', payload: { categoryId, name } }];
    case 'RenameCategory': {
      if (state.status === 'absent') throw new CategoryNotFound(categoryId);
      const previousName = state.category.name;
      return name === previousName ? [] : [{ eventType: 'CategoryRenamed', payload: { categoryId, name, previousName } }];
    }
    default:
      return assertNever(command);
  }
}

/** The name as the contract trims and bounds it. */
function validName(name: string): string {
  const result = CategoryCreated.payload.shape.name.safeParse(name);
  if (result.success) return result.data;
  throw new InvalidCategory(result.error.issues.map(({ message }) => ({ field: 'name', message })));
}

/** The Category aggregate for the platform's command handler. */
export const categoryDecider: Decider<CategoryState, CategoryCommand, 'Category'> = {
  aggregateType: 'Category',
  initialState: initialCategoryState,
  evolve: evolveCategory,
  decide: decideCategory,
};

function assertNever(value: never): never {
  throw new Error(`unhandled category command ${JSON.stringify(value)}`);
}
