import { StockNotFound } from '../../src/domain/errors.js';
import { decideStock } from '../../src/domain/stock-decider.js';
import { evolveStock, initialStockState, type StockState } from '../../src/domain/stock.js';
import type { StockCommands, StockQueries, StockView } from '../../src/ports.js';

/** The inventory's HTTP ports with no servers behind them. */
export interface FakeInventoryPorts {
  readonly commands: StockCommands;
  readonly queries: StockQueries;
  /** Opens a product's stock record, as the consumer does for a created product. */
  open(productId: string): void;
}

/** The stock records in a map, restocked through the real Stock decider. */
export function fakeInventoryPorts(lowWaterMark = 0): FakeInventoryPorts {
  const records = new Map<string, { state: StockState; version: number }>();
  const view = (productId: string): StockView | undefined => {
    const record = records.get(productId);
    if (record === undefined) return undefined;
    const { available, reserved, sold, received } = record.state;
    return { productId, available, reserved, sold, received, lowWaterMark, version: record.version };
  };
  return {
    open(productId) {
      records.set(productId, { state: initialStockState(), version: 1 });
    },
    commands: {
      restock(productId, { quantity, note }) {
        const record = records.get(productId);
        if (record === undefined) return Promise.reject(new StockNotFound(productId));
        try {
          const drafts = decideStock({ type: 'ReceiveStock', data: { productId, quantity, note } }, record.state);
          const state = drafts.reduce(
            (current, draft) => evolveStock(current, { ...draft, aggregateType: 'Stock', aggregateId: productId } as Parameters<typeof evolveStock>[1]),
            record.state,
          );
          records.set(productId, { state, version: record.version + 1 });
          const { available, reserved, sold, received } = state;
          return Promise.resolve({ productId, available, reserved, sold, received, lowWaterMark, version: record.version + 1 });
        } catch (error) {
          return Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
      },
    },
    queries: {
      stock: (productId) => Promise.resolve(view(productId)),
      stocks: (productIds) =>
        Promise.resolve(
          [...productIds]
            .sort()
            .map(view)
            .filter((found): found is StockView => found !== undefined),
        ),
    },
  };
}
