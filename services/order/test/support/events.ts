import { randomUUID } from 'node:crypto';
import { createEvent, type EventOf, type Money } from '@msa/contracts';

const envelope = (version: number) => ({ eventId: randomUUID(), version, occurredAt: new Date().toISOString(), correlationId: randomUUID(), causationId: randomUUID() });

export function productCreated(productId: string, price: Money, active = true): EventOf<'ProductCreated'> {
  return createEvent({
    ...envelope(1),
    eventType: 'ProductCreated',
    payload: { productId, sku: `SKU-${productId.slice(0, 8)}`, name: 'Stovetop kettle', description: '', categoryId: randomUUID(), price, active },
  });
}

export function productUpdated(productId: string, version: number, changes: { price?: { from: Money; to: Money }; active?: boolean }): EventOf<'ProductUpdated'> {
  return createEvent({ ...envelope(version), eventType: 'ProductUpdated', payload: { productId, ...changes } });
}

interface Line {
  readonly productId: string;
  readonly quantity: number;
}

export function inventoryReserved(orderId: string, items: readonly Line[]): EventOf<'InventoryReserved'> {
  return createEvent({ ...envelope(1), eventType: 'InventoryReserved', payload: { orderId, status: 'SUCCESS', items: [...items] } });
}

export function stockShort(orderId: string, items: readonly Line[]): EventOf<'InventoryReserved'> {
  const [first] = items;
  const shortages = first === undefined ? [] : [{ productId: first.productId, requested: first.quantity, available: 0 }];
  return createEvent({ ...envelope(1), eventType: 'InventoryReserved', payload: { orderId, status: 'INSUFFICIENT_STOCK', items: [...items], reason: 'sold out', shortages } });
}

export function stockReleased(orderId: string, items: readonly Line[], fromSold = false): EventOf<'StockReleased'> {
  return createEvent({ ...envelope(2), eventType: 'StockReleased', payload: { orderId, items: [...items], fromSold } });
}

/** The payment service's id of an order's charge is its own; any fixed one per order does here. */
export interface Charge {
  readonly paymentId: string;
  readonly orderId: string;
  readonly userId: string;
  readonly amount: Money;
}

export function paymentCompleted(charge: Charge): EventOf<'PaymentCompleted'> {
  return createEvent({ ...envelope(2), eventType: 'PaymentCompleted', payload: { ...charge, method: 'CARD', gatewayReference: `ch_${charge.paymentId.slice(0, 8)}` } });
}

export function paymentFailed(charge: Charge): EventOf<'PaymentFailed'> {
  return createEvent({ ...envelope(2), eventType: 'PaymentFailed', payload: { ...charge, code: 'DECLINED', reason: 'The card was declined.' } });
}

export function paymentRefunded(charge: Charge): EventOf<'PaymentRefunded'> {
  return createEvent({
    ...envelope(3),
    eventType: 'PaymentRefunded',
    payload: { ...charge, gatewayReference: `ch_${charge.paymentId.slice(0, 8)}`, refundReference: `re_${charge.paymentId.slice(0, 8)}` },
  });
}
