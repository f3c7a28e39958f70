import type { CommandContext as HandlerContext, Transaction } from '@msa/platform';
import type { StockLine } from './domain/reservation.js';

/**
 * The seams between the adapters: the HTTP side and the consumers speak in these terms, app.ts plugs
 * in the PostgreSQL write side and its stock levels.
 */

/** Where and when a command comes from; the write side brings the transaction. */
export type CommandContext = Omit<HandlerContext, 'tx'>;

/** A product's stock as the API shows it. */
export interface StockView {
  readonly productId: string;
  readonly available: number;
  readonly reserved: number;
  readonly sold: number;
  readonly received: number;
  /** The low-water mark in force: at or below it, available counts as depleted. */
  readonly lowWaterMark: number;
  /** Grows by one with every change of the record; 1 when it was opened. */
  readonly version: number;
}

/** A restock as an admin asks for it. */
export interface Restock {
  readonly quantity: number;
  readonly note?: string | undefined;
}

/** The stock records' admin writes. */
export interface StockCommands {
  /** Adds units; answers the stock after them. @throws StockNotFound, RestockTooLarge. */
  restock(productId: string, restock: Restock, context: CommandContext): Promise<StockView>;
}

/** The stock records' reads, from the levels the write side keeps. */
export interface StockQueries {
  stock(productId: string): Promise<StockView | undefined>;
  /** The records of those of `productIds` that have one, by product id. */
  stocks(productIds: readonly string[]): Promise<readonly StockView[]>;
}

/** A consumed event's place in its flow, and the transaction the consumer records it in. */
export type ConsumedContext = CommandContext & { readonly tx: Transaction };

/** What the reservation consumer asks of the write side, each in the consumer's transaction. */
export interface ReservationCommands {
  /** Opens a product's stock record with no units; a second opening changes nothing. */
  openStock(productId: string, context: ConsumedContext): Promise<void>;
  /** Reserves every line or none, once per order; nothing after the order's reservation was released. */
  reserve(orderId: string, lines: readonly StockLine[], context: ConsumedContext): Promise<void>;
  /** Returns what the order holds or sold to available and closes its reservation. */
  release(orderId: string, context: ConsumedContext): Promise<void>;
  /** Sells what the order holds. @throws NoReservationToSell when nothing was ever reserved for it. */
  commit(orderId: string, context: ConsumedContext): Promise<void>;
}
