import { z } from 'zod';
import { defineEvent } from './envelope.js';
import { id, quantity, stockLines, stockLinesOrNone, text } from './fields.js';

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

/**
 * An order's reservation was released and its units are available again. `items` is empty when the order
 * held nothing (its reservation failed, or the release came first: a reservation asked for later is then
 * refused). `fromSold` says the units had been sold (a completed order cancelled) rather than held.
 * aggregateId is the order id.
 */
export const StockReleased = defineEvent({
  eventType: 'StockReleased',
  aggregateType: 'StockReservation',
  schemaVersion: 1,
  payload: z.object({ orderId: id, items: stockLinesOrNone, fromSold: z.boolean() }),
  aggregateIdField: 'orderId',
});

/** An order's reservation was released. */
export type StockReleased = z.infer<typeof StockReleased.schema>;

/**
 * An order completed, so the units its reservation held are sold: they leave `reserved` for `sold`.
 * aggregateId is the order id.
 */
export const StockCommitted = defineEvent({
  eventType: 'StockCommitted',
  aggregateType: 'StockReservation',
  schemaVersion: 1,
  payload: z.object({ orderId: id, items: stockLines }),
  aggregateIdField: 'orderId',
});

/** An order's held units were sold. */
export type StockCommitted = z.infer<typeof StockCommitted.schema>;

/**
 * Units of a product arrived (an admin's restock), `available` after them, with the admin's note if
 * any. The product's stock record is opened by its `ProductCreated` with none. aggregateId is the
 * product id.
 */
export const StockReceived = defineEvent({
  eventType: 'StockReceived',
  aggregateType: 'Stock',
  schemaVersion: 1,
  payload: z.object({ productId: id, quantity, available: z.int().nonnegative(), note: text(500).optional() }),
  aggregateIdField: 'productId',
});

/** Units of a product arrived. */
export type StockReceived = z.infer<typeof StockReceived.schema>;

/**
 * A product's available units fell to its low-water mark or below (once per crossing: it is raised again
 * only after a restock or release lifts it above the mark). aggregateId is the product id.
 */
export const StockDepleted = defineEvent({
  eventType: 'StockDepleted',
  aggregateType: 'Stock',
  schemaVersion: 1,
  payload: z.object({ productId: id, available: z.int().nonnegative(), lowWaterMark: z.int().nonnegative() }),
  aggregateIdField: 'productId',
});

/** A product's available units fell to its low-water mark. */
export type StockDepleted = z.infer<typeof StockDepleted.schema>;
