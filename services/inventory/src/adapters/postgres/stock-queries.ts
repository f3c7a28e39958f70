import type pg from 'pg';
import type { StockQueries, StockView } from '../../ports.js';
import { readStock, type StockRecord } from './stock-levels.js';

/**
 * The stock queries, on the levels the write side keeps: a read sees every committed change, the
 * restock answered a moment ago included.
 */
export function createStockQueries(pool: pg.Pool, view: (record: StockRecord) => StockView): StockQueries {
  return {
    async stock(productId) {
      const [record] = await readStock(pool, [productId]);
      return record === undefined ? undefined : view(record);
    },
    async stocks(productIds) {
      return (await readStock(pool, productIds)).map(view);
    },
  };
}
