import type { CategoryCreated, CategoryRenamed } from '@msa/contracts';

/** The Category aggregate's events, as the contracts define them. */
export type CategoryEvent = CategoryCreated | CategoryRenamed;

/** The event stream of one category. */
export function categoryStream(categoryId: string): string {
  return `category-${categoryId}`;
}

/** A category as its history defines it. */
export interface Category {
  readonly categoryId: string;
  readonly name: string;
}

/** The Category aggregate: none on this stream yet, or one that exists (categories are never removed). */
export type CategoryState =
  | { readonly status: 'absent' }
  | { readonly status: 'created'; readonly category: Category };

/** The state of a stream with no events. */
export const initialCategoryState = (): CategoryState => ({ status: 'absent' });

/** Applies one event to the state; events are facts, so it never rejects. */
export function evolveCategory(state: CategoryState, event: CategoryEvent): CategoryState {
  switch (event.eventType) {
    case 'CategoryCreated':
      return { status: 'created', category: { categoryId: event.payload.categoryId, name: event.payload.name } };
    case 'CategoryRenamed':
      return state.status === 'absent' ? state : { status: 'created', category: { ...state.category, name: event.payload.name } };
    default:
      return assertNever(event);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled category event ${JSON.stringify(value)}`);
}
