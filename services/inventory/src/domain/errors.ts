import { AggregateNotFound, DomainRejection, FieldsRefused } from '@msa/platform/domain';

/** A stock query or restock of a product whose stock record was never opened: the kit's 404. */
export class StockNotFound extends AggregateNotFound {
  constructor(readonly productId: string) {
    super('stock', productId, `no stock record for product ${productId}`);
  }
}

/** A restock that would take the product's units past what the stock record can count: the kit's 422 naming `body.quantity`. */
export class RestockTooLarge extends FieldsRefused {
  constructor(
    readonly productId: string,
    readonly limit: number,
  ) {
    super([{ field: 'quantity', message: `would take the product's units past ${limit}` }], `restock of product ${productId} too large`);
  }
}

/**
 * A hold of more units than are available. The reservation decides on the locked stock levels and
 * refuses an order that does not fit, so this is a broken invariant, never a customer's mistake.
 */
export class OversoldStock extends DomainRejection {
  constructor(
    readonly productId: string,
    readonly requested: number,
    readonly available: number,
  ) {
    super(`holding ${requested} units of product ${productId} would oversell its ${available} available`);
  }
}

/**
 * An order completed without a reservation on record. The saga completes an order only after its
 * reservation succeeded, so the event cannot be handled: it is dead-lettered for someone to look at.
 */
export class NoReservationToSell extends DomainRejection {
  constructor(readonly orderId: string) {
    super(`order ${orderId} completed, but no stock was ever reserved for it`);
  }
}
