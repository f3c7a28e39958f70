import type { Decider, EventDraft } from '@msa/platform';
import { OversoldStock, RestockTooLarge } from './errors.js';
import { evolveStock, initialStockState, type StockEvent, type StockState } from './stock.js';

/** Units arrived: an admin's restock. */
export interface ReceiveStock {
  readonly type: 'ReceiveStock';
  readonly data: { readonly productId: string; readonly quantity: number; readonly note?: string | undefined };
}

/**
 * An order's reservation is about to hold `quantity` units (the hold itself is the reservation's
 * event). The Stock aggregate's part is the depletion alert the hold may cross.
 */
export interface HoldStock {
  readonly type: 'HoldStock';
  readonly data: { readonly productId: string; readonly quantity: number; readonly lowWaterMark: number };
}

/** What can be asked of a product's Stock aggregate. */
export type StockCommand = ReceiveStock | HoldStock;

type StockDraft = EventDraft<StockEvent>;

/** The most units a stock record counts in any of its columns (PostgreSQL's integer). */
export const MAX_UNITS = 2_147_483_647;

/**
 * Decides a product's Stock events. A restock records the units and the available count after
 * them; a hold that leaves available at the low-water mark or below raises `StockDepleted`, once:
 * the alert stays raised until a restock or a release lifts available above its mark again.
 */
export function decideStock(command: StockCommand, state: StockState): StockDraft[] {
  switch (command.type) {
    case 'ReceiveStock':
      return receive(command.data, state);
    case 'HoldStock':
      return hold(command.data, state);
    default:
      return assertNever(command);
  }
}

function receive({ productId, quantity, note }: ReceiveStock['data'], state: StockState): StockDraft[] {
  const total = state.available + state.reserved + state.sold;
  if (total + quantity > MAX_UNITS || state.received + quantity > MAX_UNITS) throw new RestockTooLarge(productId, MAX_UNITS);
  const available = state.available + quantity;
  return [{ eventType: 'StockReceived', payload: { productId, quantity, available, ...(note === undefined ? {} : { note }) } }];
}

function hold({ productId, quantity, lowWaterMark }: HoldStock['data'], state: StockState): StockDraft[] {
  if (quantity > state.available) throw new OversoldStock(productId, quantity, state.available);
  const available = state.available - quantity;
  if (state.alertedAt !== null || available > lowWaterMark) return [];
  return [{ eventType: 'StockDepleted', payload: { productId, available, lowWaterMark } }];
}

/**
 * The Stock aggregate. Its state is a product's units as every event that moved them left them, and
 * a reservation's hold, sale or release is the reservation's event, not one on this stream: the write
 * side therefore decides on the stock level it keeps, locked, beside the events (see DESIGN.md),
 * which is this fold over the product's stream and its reservation lines.
 */
export const stockDecider: Decider<StockState, StockCommand, 'Stock'> = {
  aggregateType: 'Stock',
  initialState: initialStockState,
  evolve: evolveStock,
  decide: decideStock,
};

function assertNever(value: never): never {
  throw new Error(`unhandled stock command ${JSON.stringify(value)}`);
}
