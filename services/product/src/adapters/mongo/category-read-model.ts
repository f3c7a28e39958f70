import type { CategoryCreated, CategoryRenamed } from '@msa/contracts';
import type { ReadModelDefinition } from '@msa/platform';
import { nameKey } from './search-words.js';

/** One category in the read model, as of stream version `version`. */
export interface CategoryDocument {
  /** The category id. */
  readonly _id: string;
  readonly version: number;
  readonly name: string;
  readonly nameKey: string;
}

/** The events the category read model is built from. */
export type CategoryDocumentEvent = CategoryCreated | CategoryRenamed;

/**
 * The `catalog_categories` read model: small (a catalog has tens or hundreds of categories), so product
 * queries join a page's category names from it, and a rename shows everywhere as soon as it is applied.
 */
export const categoryReadModel: ReadModelDefinition<CategoryDocument, CategoryDocumentEvent> = {
  name: 'catalog_categories',
  handles: ['CategoryCreated', 'CategoryRenamed'],
  indexes: [{ name: 'by_name', key: { nameKey: 1, _id: 1 } }],
  evolve(category, event) {
    switch (event.eventType) {
      case 'CategoryCreated':
        return { name: event.payload.name, nameKey: nameKey(event.payload.name) };
      case 'CategoryRenamed':
        return category === undefined ? undefined : { name: event.payload.name, nameKey: nameKey(event.payload.name) };
      default:
        return assertNever(event);
    }
  },
};

function assertNever(value: never): never {
  throw new Error(`unhandled category read model event ${JSON.stringify(value)}`);
}
