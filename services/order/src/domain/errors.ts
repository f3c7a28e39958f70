import { AggregateAlreadyExists, AggregateNotFound, DomainRejection, FieldsRefused } from '@msa/platform/domain';
import type { OrderStatus } from './order.js';

/** A placement on an order stream that already holds one: the kit's 409. */
export class OrderAlreadyExists extends AggregateAlreadyExists {
  constructor(readonly orderId: string) {
    super('order', orderId);
  }
}

/** A command on an order that was never placed, or one the caller may not see: the kit's 404. */
export class OrderNotFound extends AggregateNotFound {
  constructor(readonly orderId: string) {
    super('order', orderId);
  }
}

/** A command the order's status does not allow (confirming a cancelled order, cancelling one twice): a 409. */
export class OrderStatusConflict extends DomainRejection {
  constructor(
    readonly orderId: string,
    readonly status: OrderStatus,
    readonly action: string,
  ) {
    super(`order ${orderId} is ${status}, so it cannot be ${action}`);
  }
}

/** A line names a product the price list does not hold, or one that is not for sale: the kit's 422 naming the line. */
export class UnknownProduct extends FieldsRefused {
  constructor(
    readonly line: number,
    readonly productId: string,
    why: 'unknown' | 'inactive',
  ) {
    const message = why === 'unknown' ? 'names no product for sale' : 'names a product that is not for sale';
    super([{ field: `items[${line}].productId`, message }], `product ${productId} ${why === 'unknown' ? 'is not in the price list' : 'is not for sale'}`);
  }
}

/** A line priced in another currency than the first line's: one order is paid in one currency (422 naming the line). */
export class MixedCurrencies extends FieldsRefused {
  constructor(
    readonly line: number,
    readonly currency: string,
    readonly orderCurrency: string,
  ) {
    super([{ field: `items[${line}].productId`, message: `is priced in ${currency}, not in the order's ${orderCurrency}` }], 'an order is paid in one currency');
  }
}

/** Two lines name the same product: the kit's 422 naming the later line. */
export class RepeatedProduct extends FieldsRefused {
  constructor(
    readonly line: number,
    readonly productId: string,
  ) {
    super([{ field: `items[${line}].productId`, message: 'names a product an earlier line names; add the quantities instead' }], `product ${productId} is named twice`);
  }
}

/** An Idempotency-Key the user already sent with another request: a 422 naming the header (the service's `mapError`). */
export class IdempotencyKeyReused extends DomainRejection {
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was sent before with another request; use a new key for a new order`);
  }
}
