import type { EventDraft } from '@msa/platform';
import { deciderSpec } from '@msa/platform/testing';
import { reservationDecider } from '../../src/domain/reservation-decider.js';
import type { ReservationEvent, StockLine } from '../../src/domain/reservation.js';
import { stockDecider } from '../../src/domain/stock-decider.js';
import type { StockEvent } from '../../src/domain/stock.js';

/** Given/when/then for an order's StockReservation aggregate. */
export const reservation = deciderSpec(reservationDecider);

/** Given/when/then for a product's Stock aggregate. */
export const stock = deciderSpec(stockDecider);

export const orderId = '5a0c7f3e-2b1d-4e8f-9a6b-1c2d3e4f5a6b';
export const kettle = '1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b';
export const teapot = '9e8d7c6b-5a49-4382-b716-0f1e2d3c4b5a';

export const lines: readonly StockLine[] = [
  { productId: kettle, quantity: 2 },
  { productId: teapot, quantity: 1 },
];

export const reserved = {
  eventType: 'InventoryReserved',
  payload: { orderId, status: 'SUCCESS', items: [...lines] },
} as const satisfies EventDraft<ReservationEvent>;

export const committed = { eventType: 'StockCommitted', payload: { orderId, items: [...lines] } } as const satisfies EventDraft<ReservationEvent>;

export const released = {
  eventType: 'StockReleased',
  payload: { orderId, items: [...lines], fromSold: false },
} as const satisfies EventDraft<ReservationEvent>;

export const releasedNothing = {
  eventType: 'StockReleased',
  payload: { orderId, items: [], fromSold: false },
} as const satisfies EventDraft<ReservationEvent>;

export const refused = {
  eventType: 'InventoryReserved',
  payload: {
    orderId,
    status: 'INSUFFICIENT_STOCK',
    items: [...lines],
    reason: "not enough stock for 1 of the order's 2 products",
    shortages: [{ productId: teapot, requested: 1, available: 0 }],
  },
} as const satisfies EventDraft<ReservationEvent>;

export function receivedDraft(quantity: number, available: number): EventDraft<StockEvent> {
  return { eventType: 'StockReceived', payload: { productId: kettle, quantity, available } };
}

export function depletedDraft(available: number, lowWaterMark: number): EventDraft<StockEvent> {
  return { eventType: 'StockDepleted', payload: { productId: kettle, available, lowWaterMark } };
}
