import type { EventHandlers } from '@msa/platform';
import { listProductCreated, listProductUpdated } from '../postgres/price-list.js';

/** The `order.price-list` handlers: the catalog's product events kept as the order service's own price list, in the consumer's transaction. */
export function priceListHandlers(): EventHandlers {
  return {
    ProductCreated: (event, { tx }) => listProductCreated(tx.client, event),
    ProductUpdated: (event, { tx }) => listProductUpdated(tx.client, event),
  };
}
