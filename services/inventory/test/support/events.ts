import { randomUUID } from 'node:crypto';
import { createEvent, type EventOf } from '@msa/contracts';
import type { StockLine } from '../../src/domain/reservation.js';

const envelope = () => ({ eventId: randomUUID(), occurredAt: new Date().toISOString(), correlationId: randomUUID(), causationId: randomUUID() });

/** A product the catalog created. */
export function productCreated(productId: string = randomUUID()): EventOf<'ProductCreated'> {
  return createEvent({
    ...envelope(),
    version: 1,
    eventType: 'ProductCreated',
    payload: {
      productId,
      sku: `KET-${productId.slice(0, 8)}`,
      name: 'Stovetop kettle',
      description: '',
      categoryId: randomUUID(),
      price: { amountMinor: 3_990, currency: 'EUR' },
      active: true,
    },
  });
}

/** A customer's order of `lines`, as the order service appends it. */
export function orderCreated(lines: readonly StockLine[], orderId: string = randomUUID()): EventOf<'OrderCreated'> {
  const unitPrice = { amountMinor: 1_000, currency: 'EUR' };
  const total = { amountMinor: lines.reduce((sum, line) => sum + line.quantity * unitPrice.amountMinor, 0), currency: 'EUR' };
  return createEvent({
    ...envelope(),
    version: 1,
    eventType: 'OrderCreated',
    payload: {
      orderId,
      userId: randomUUID(),
      items: lines.map(({ productId, quantity }) => ({ productId, quantity, unitPrice })),
      total,
      payment: { method: 'CARD', token: 'pm_card_visa' },
    },
  });
}

/** The order saga asks for the order's stock back. */
export function stockReleaseRequested(orderId: string, version = 3): EventOf<'StockReleaseRequested'> {
  return createEvent({ ...envelope(), version, eventType: 'StockReleaseRequested', payload: { orderId, reason: 'DEADLINE_PASSED' } });
}

/** The order was paid. */
export function orderCompleted(orderId: string, version = 4): EventOf<'OrderCompleted'> {
  return createEvent({ ...envelope(), version, eventType: 'OrderCompleted', payload: { orderId, paymentId: randomUUID() } });
}
