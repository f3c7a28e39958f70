import type { StockDepleted, StockReceived } from '@msa/contracts';
import type { ReservationEvent } from './reservation.js';

/** The Stock aggregate's own events, as the contracts define them. */
export type StockEvent = StockReceived | StockDepleted;

/** The event stream of one product's stock. */
export function stockStream(productId: string): string {
  return `stock-${productId}`;
}

/**
 * One product's units, as every event that moved them leaves them: its own stream's restocks and
 * depletion alerts, and the lines of the order reservations that held, sold or released them.
 */
export interface StockState {
  /** Units an order may still reserve; never below 0. */
  readonly available: number;
  /** Units reserved by orders that have not completed. */
  readonly reserved: number;
  /** Units of completed orders. */
  readonly sold: number;
  /** Units ever restocked. */
  readonly received: number;
  /**
   * The low-water mark a depletion alert was raised at and not yet re-armed; `null` when armed, so
   * the next fall to the mark raises one. A restock or release that lifts available above it re-arms.
   */
  readonly alertedAt: number | null;
}

/**
 * A stock record just opened (its product was created): no units, the alert armed. Only a hold
 * raises an alert, and the first one that leaves available at the mark or below crosses it.
 */
export const initialStockState = (): StockState => ({ available: 0, reserved: 0, sold: 0, received: 0, alertedAt: null });

/**
 * Applies one of the Stock stream's events; events are facts, so it never rejects. Both carry the
 * available units as of their moment, which also counts the reservations' moves between them.
 */
export function evolveStock(state: StockState, event: StockEvent): StockState {
  switch (event.eventType) {
    case 'StockReceived': {
      const { quantity, available } = event.payload;
      return rearmed({ ...state, available, received: state.received + quantity });
    }
    case 'StockDepleted':
      return { ...state, available: event.payload.available, alertedAt: event.payload.lowWaterMark };
    default:
      return assertNever(event);
  }
}

/**
 * Applies what a reservation event did to one product's units: a hold moves them from available to
 * reserved, a sale from reserved to sold, a release back to available (from sold when `fromSold`).
 * An event without a line for the product, or a refused reservation, leaves the state as it is.
 */
export function applyReservation(state: StockState, productId: string, event: ReservationEvent): StockState {
  const quantity = event.payload.items.find((line) => line.productId === productId)?.quantity ?? 0;
  if (quantity === 0) return state;
  switch (event.eventType) {
    case 'InventoryReserved':
      return event.payload.status === 'SUCCESS'
        ? { ...state, available: state.available - quantity, reserved: state.reserved + quantity }
        : state;
    case 'StockCommitted':
      return { ...state, reserved: state.reserved - quantity, sold: state.sold + quantity };
    case 'StockReleased':
      return event.payload.fromSold
        ? rearmed({ ...state, sold: state.sold - quantity, available: state.available + quantity })
        : rearmed({ ...state, reserved: state.reserved - quantity, available: state.available + quantity });
    default:
      return assertNever(event);
  }
}

function rearmed(state: StockState): StockState {
  return state.alertedAt !== null && state.available > state.alertedAt ? { ...state, alertedAt: null } : state;
}

function assertNever(value: never): never {
  throw new Error(`unhandled stock event ${JSON.stringify(value)}`);
}
