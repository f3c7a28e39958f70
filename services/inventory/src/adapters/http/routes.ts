import { type AuthMiddleware, NotFoundError, route, type Route } from '@msa/platform';
import type { StockCommands, StockQueries } from '../../ports.js';
import { ProductIdParams, RestockRequest, StockListQuery, StockListResponse, StockResponse } from './schemas.js';

/** What the inventory routes need. */
export interface InventoryRoutesDependencies {
  readonly commands: StockCommands;
  readonly queries: StockQueries;
  readonly adminOnly: AuthMiddleware;
}

const INVENTORY = ['inventory'];

/** The stock API: a public read of one product's stock, and the admins' list and restock. */
export function inventoryRoutes({ commands, queries, adminOnly }: InventoryRoutesDependencies): Route[] {
  const stockDetail = route(
    {
      method: 'get',
      path: '/api/inventory/:productId',
      summary: "A product's stock",
      description: 'Public. A product whose stock record is not open (unknown, or its creation not yet consumed) is 404.',
      tags: INVENTORY,
      request: { params: ProductIdParams },
      responses: { 200: { description: 'The stock', body: StockResponse } },
      problems: [404],
    },
    async ({ params, reply }) => {
      const stock = await queries.stock(params.productId);
      if (stock === undefined) throw new NotFoundError(`no stock record for product ${params.productId}`);
      return reply(200, stock);
    },
  );

  const stockList = route(
    {
      method: 'get',
      path: '/api/inventory',
      summary: 'The stock of several products (admins only)',
      description: 'Products without a stock record are left out of the list.',
      tags: INVENTORY,
      auth: adminOnly,
      request: { query: StockListQuery },
      responses: { 200: { description: 'The stock records found, by product id', body: StockListResponse } },
    },
    async ({ query, reply }) => reply(200, { items: await queries.stocks(query.productIds) }),
  );

  const restock = route(
    {
      method: 'post',
      path: '/api/inventory/:productId/restock',
      summary: 'Add units to a product’s stock (admins only)',
      tags: INVENTORY,
      auth: adminOnly,
      request: { params: ProductIdParams, body: RestockRequest },
      responses: { 200: { description: 'The stock after the restock', body: StockResponse } },
      problems: [404, 409, 422],
    },
    async ({ params, body, command, reply }) => reply(200, await commands.restock(params.productId, body, command)),
  );

  return [stockDetail, stockList, restock];
}
