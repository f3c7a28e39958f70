import { StockReceived } from '@msa/contracts';
import { z } from 'zod';

const { quantity, note } = StockReceived.payload.shape;

/** The most products one list request may name. */
const MAX_LISTED_PRODUCTS = 100;

/** A product id in the path. */
export const ProductIdParams = z.object({ productId: z.uuid() });

/** `POST /api/inventory/:productId/restock` */
export const RestockRequest = z
  .strictObject({ quantity, note })
  .meta({ id: 'RestockRequest', description: 'Units that arrived, and a note for the record (a delivery reference, say)' });

/** `GET /api/inventory?productIds=a,b` */
export const StockListQuery = z.object({
  productIds: z
    .string()
    .transform((raw) => [...new Set(raw.split(',').map((id) => id.trim()))])
    .pipe(z.array(z.uuid()).min(1).max(MAX_LISTED_PRODUCTS))
    .meta({ description: `product ids, comma-separated, at most ${MAX_LISTED_PRODUCTS}` }),
});

/** A product's stock. */
export const StockResponse = z
  .object({
    productId: z.uuid(),
    available: z.int().nonnegative().meta({ description: 'units an order may still reserve' }),
    reserved: z.int().nonnegative().meta({ description: 'units held by orders not yet completed' }),
    sold: z.int().nonnegative().meta({ description: 'units of completed orders' }),
    received: z.int().nonnegative().meta({ description: 'units ever restocked' }),
    lowWaterMark: z.int().nonnegative().meta({ description: 'at or below it, available counts as depleted' }),
    version: z.int().min(1).meta({ description: 'grows with every change of the record' }),
  })
  .meta({ id: 'Stock' });

/** The stock of the listed products that have a record, by product id. */
export const StockListResponse = z.object({ items: z.array(StockResponse) }).meta({ id: 'StockList' });
