import { z } from 'zod';
import { defineEvent } from './envelope.js';
import { id, quantity, stockLines, text } from './fields.js';

/**
 * The outcome of reserving stock for a whole order: every line is held (`SUCCESS`) or none is
 * (`INSUFFICIENT_STOCK`, listing each short product), never a partial hold.
 */
const reservationOutcome = z.discriminatedUnion('status', [
  z.object({ orderId: id, status: z.literal('SUCCESS'), items: stockLines }),
  z.object({
    orderId: id,
    status: z.literal('INSUFFICIENT_STOCK'),
    items: stockLines,
    reason: text(500),
    shortages: z
      .array(z.object({ productId: id, requested: quantity, available: z.int().nonnegative() }))
      .min(1),
  }),
]);

/** Stock was reserved for an order, or could not be. aggregateId is the order id. */
export const InventoryReserved = defineEvent({
  eventType: 'InventoryReserved',
  aggregateType: 'StockReservation',
  schemaVersion: 1,
  payload: reservationOutcome,
  aggregateIdField: 'orderId',
});

/** Stock was reserved for an order, or could not be. */
export type InventoryReserved = z.infer<typeof InventoryReserved.schema>;

/** An order's reservation was released and its units are available again. aggregateId is the order id. */
export const StockReleased = defineEvent({
  eventType: 'StockReleased',
  aggregateType: 'StockReservation',
  schemaVersion: 1,
  payload: z.object({ orderId: id, items: stockLines }),
  aggregateIdField: 'orderId',
});

/** An order's reservation was released. */
export type StockReleased = z.infer<typeof StockReleased.schema>;

/** A product has no units left to reserve. aggregateId is the product id. */
export const StockDepleted = defineEvent({
  eventType: 'StockDepleted',
  aggregateType: 'Stock',
  schemaVersion: 1,
  payload: z.object({ productId: id }),
  aggregateIdField: 'productId',
});

/** A product has no units left to reserve. */
export type StockDepleted = z.infer<typeof StockDepleted.schema>;
