import type { Decider, EventDraft } from '@msa/platform';
import { NoReservationToSell } from './errors.js';
import {
  evolveReservation,
  initialReservationState,
  type ReservationEvent,
  type ReservationState,
  type Shortage,
  type StockLine,
} from './reservation.js';

/**
 * Reserves an order's lines, all or none. `available` is each product's available units, read under
 * the stock rows' locks in the same transaction; a product without a stock record has none.
 */
export interface ReserveStock {
  readonly type: 'ReserveStock';
  readonly data: {
    readonly orderId: string;
    readonly lines: readonly StockLine[];
    readonly available: ReadonlyMap<string, number>;
  };
}

/** Returns what the order holds (or sold) to available, and closes its reservation. */
export interface ReleaseStock {
  readonly type: 'ReleaseStock';
  readonly data: { readonly orderId: string };
}

/** The order completed: what it holds is sold. */
export interface CommitStock {
  readonly type: 'CommitStock';
  readonly data: { readonly orderId: string };
}

/** What can be asked of an order's StockReservation aggregate. */
export type ReservationCommand = ReserveStock | ReleaseStock | CommitStock;

type ReservationDraft = EventDraft<ReservationEvent>;

/**
 * Decides an order's reservation events. Each command is answered once: a reservation already
 * decided, or closed by an earlier release, reserves nothing; a sale of a sold reservation records
 * nothing; a release of a released one answers again with nothing released, so a saga that asked
 * twice hears back without any unit moving twice.
 */
export function decideReservation(command: ReservationCommand, state: ReservationState): ReservationDraft[] {
  switch (command.type) {
    case 'ReserveStock':
      return state.status === 'none' ? [reserve(command.data)] : [];
    case 'ReleaseStock':
      return [release(command.data.orderId, state)];
    case 'CommitStock':
      return commit(command.data.orderId, state);
    default:
      return assertNever(command);
  }
}

function reserve({ orderId, lines, available }: ReserveStock['data']): ReservationDraft {
  const items = lines.map(({ productId, quantity }) => ({ productId, quantity }));
  const shortages: Shortage[] = items
    .map(({ productId, quantity }) => ({ productId, requested: quantity, available: available.get(productId) ?? 0 }))
    .filter(({ requested, available: units }) => requested > units);
  if (shortages.length === 0) return { eventType: 'InventoryReserved', payload: { orderId, status: 'SUCCESS', items } };
  const reason = `not enough stock for ${shortages.length} of the order's ${items.length} products`;
  return { eventType: 'InventoryReserved', payload: { orderId, status: 'INSUFFICIENT_STOCK', items, reason, shortages } };
}

function release(orderId: string, state: ReservationState): ReservationDraft {
  switch (state.status) {
    case 'held':
      return { eventType: 'StockReleased', payload: { orderId, items: [...state.items], fromSold: false } };
    case 'sold':
      return { eventType: 'StockReleased', payload: { orderId, items: [...state.items], fromSold: true } };
    case 'none':
    case 'refused':
    case 'released':
      return { eventType: 'StockReleased', payload: { orderId, items: [], fromSold: false } };
    default:
      return assertNever(state);
  }
}

function commit(orderId: string, state: ReservationState): ReservationDraft[] {
  switch (state.status) {
    case 'held':
      return [{ eventType: 'StockCommitted', payload: { orderId, items: [...state.items] } }];
    case 'none':
      throw new NoReservationToSell(orderId);
    // Sold already (a second completion), or nothing held: a refused or released order has no units to sell.
    case 'sold':
    case 'refused':
    case 'released':
      return [];
    default:
      return assertNever(state);
  }
}

/** The StockReservation aggregate for the platform's command handler. */
export const reservationDecider: Decider<ReservationState, ReservationCommand, 'StockReservation'> = {
  aggregateType: 'StockReservation',
  initialState: initialReservationState,
  evolve: evolveReservation,
  decide: decideReservation,
};

function assertNever(value: never): never {
  throw new Error(`unhandled reservation value ${JSON.stringify(value)}`);
}
