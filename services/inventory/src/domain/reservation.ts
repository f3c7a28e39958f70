import type { InventoryReserved, StockCommitted, StockReleased } from '@msa/contracts';

/** The StockReservation aggregate's events, as the contracts define them. */
export type ReservationEvent = InventoryReserved | StockCommitted | StockReleased;

/** The event stream of one order's reservation. */
export function reservationStream(orderId: string): string {
  return `stock-reservation-${orderId}`;
}

/** A product and a number of its units: an order line as reserved, sold or released. */
export interface StockLine {
  readonly productId: string;
  readonly quantity: number;
}

/** A product an order asked more of than was available. */
export interface Shortage {
  readonly productId: string;
  readonly requested: number;
  readonly available: number;
}

/**
 * One order's reservation: not asked for yet, holding every line, refused for lack of stock (holding
 * nothing), sold (the order completed), or released (closed: by a release, possibly before any
 * reservation, after which nothing is reserved for the order any more).
 */
export type ReservationState =
  | { readonly status: 'none' }
  | { readonly status: 'held'; readonly items: readonly StockLine[] }
  | { readonly status: 'refused'; readonly items: readonly StockLine[]; readonly shortages: readonly Shortage[] }
  | { readonly status: 'sold'; readonly items: readonly StockLine[] }
  | { readonly status: 'released'; readonly items: readonly StockLine[]; readonly fromSold: boolean };

/** The state of a stream with no events. */
export const initialReservationState = (): ReservationState => ({ status: 'none' });

/**
 * Applies one event to the state; events are facts, so it never rejects. A release answered again
 * (with nothing) leaves what the first release returned.
 */
export function evolveReservation(state: ReservationState, event: ReservationEvent): ReservationState {
  switch (event.eventType) {
    case 'InventoryReserved': {
      const { payload } = event;
      return payload.status === 'SUCCESS'
        ? { status: 'held', items: payload.items }
        : { status: 'refused', items: payload.items, shortages: payload.shortages };
    }
    case 'StockCommitted':
      return { status: 'sold', items: event.payload.items };
    case 'StockReleased':
      return state.status === 'released' ? state : { status: 'released', items: event.payload.items, fromSold: event.payload.fromSold };
    default:
      return assertNever(event);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled reservation event ${JSON.stringify(value)}`);
}
