import { type AuthMiddleware, BadRequestError, ForbiddenError, NotFoundError, type Principal, route, type Route } from '@msa/platform';
import type { OrderCommands, OrderDetail, OrderReads } from '../../ports.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { orderDetailResponse, orderResponse } from './representations.js';
import { IdParams, listOrdersQuery, OrderDetailResponse, OrderPageResponse, OrderResponse, PlaceOrderRequest } from './schemas.js';

/** What the order routes need. */
export interface OrderRoutesDependencies {
  readonly commands: OrderCommands;
  readonly reads: OrderReads;
  /** Any signed-in caller: a customer, or an admin. */
  readonly authenticated: AuthMiddleware;
  /** A listing page's size when the request names none, and the most it may name. */
  readonly pageSize: { readonly defaultLimit: number; readonly maxLimit: number };
}

const ORDERS = ['orders'];
/** Stripe's name for it: a client can tell a replayed answer from a first one. */
const REPLAYED_HEADER = 'idempotent-replayed';
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const isAdmin = (principal: Principal): boolean => principal.roles.includes('admin');

/** The `Idempotency-Key` header, when sent. @throws BadRequestError naming it when it is not 1–255 visible ASCII characters. */
function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header)) {
    const message = 'must be 1 to 255 visible ASCII characters, such as a UUID';
    throw new BadRequestError(`invalid headers.idempotency-key: ${message}`, { errors: [{ field: 'headers.idempotency-key', message }] });
  }
  return header;
}

/**
 * The order API: customers place, read, list and cancel their own orders; admins read, list and
 * cancel anyone's. Another customer's order is a 404, as if it did not exist, so order ids cannot be
 * probed. A placement answers from the write side; the listing reads the read model, which follows within moments.
 */
export function orderRoutes({ commands, reads, authenticated, pageSize }: OrderRoutesDependencies): Route[] {
  /** The order if `principal` may see it. @throws NotFoundError otherwise. */
  async function visibleOrder(orderId: string, principal: Principal): Promise<OrderDetail> {
    const found = await reads.order(orderId);
    if (found === undefined || (found.order.userId !== principal.userId && !isAdmin(principal))) throw new NotFoundError(`order ${orderId} does not exist`);
    return found;
  }

  const placeOrder = route(
    {
      method: 'post',
      path: '/api/orders',
      summary: 'Place an order',
      description:
        'Prices come from the order service’s price list of the catalog. Send an Idempotency-Key header to make a retry safe: ' +
        'a retry with the same key and body answers the first order (Idempotent-Replayed: true), the same key with another body is a 422.',
      tags: ORDERS,
      auth: authenticated,
      request: { body: PlaceOrderRequest },
      responses: { 201: { description: 'The order, awaiting its stock reservation', body: OrderResponse } },
      problems: [422],
    },
    async ({ body, principal, command, req, reply }) => {
      const idempotencyKey = idempotencyKeyOf(req.get('idempotency-key'));
      const [first, ...rest] = body.items;
      if (first === undefined) throw new BadRequestError('an order needs at least one line', { errors: [{ field: 'body.items', message: 'must hold at least one line' }] });
      const placed = await commands.place({ userId: principal.userId, items: [first, ...rest], payment: body.payment, idempotencyKey }, command);
      const headers = { location: `/api/orders/${placed.order.orderId}`, ...(placed.replayed ? { [REPLAYED_HEADER]: 'true' } : {}) };
      return reply(201, orderResponse(placed), headers);
    },
  );

  const orderDetail = route(
    {
      method: 'get',
      path: '/api/orders/:id',
      summary: 'An order, with its saga’s history',
      description: 'The owner’s or, for admins, anyone’s; another customer’s order is a 404.',
      tags: ORDERS,
      auth: authenticated,
      request: { params: IdParams },
      responses: { 200: { description: 'The order as it stands now', body: OrderDetailResponse } },
      problems: [404],
    },
    async ({ params, principal, reply }) => reply(200, orderDetailResponse(await visibleOrder(params.id, principal))),
  );

  const listOrders = route(
    {
      method: 'get',
      path: '/api/orders',
      summary: 'The caller’s orders, newest first, a page at a time',
      description: 'Admins may name a userId, or none for every order. Pass nextCursor back as cursor for the next page.',
      tags: ORDERS,
      auth: authenticated,
      request: { query: listOrdersQuery(pageSize) },
      responses: { 200: { description: 'A page of orders', body: OrderPageResponse } },
    },
    async ({ query: { limit, cursor, userId }, principal, reply }) => {
      if (userId !== undefined && userId !== principal.userId && !isAdmin(principal)) throw new ForbiddenError('only admins may list another user’s orders');
      const listed = isAdmin(principal) ? userId : principal.userId;
      const after = cursor === undefined ? undefined : decodeCursor(cursor, listed);
      const page = await reads.list({ userId: listed, limit, after });
      return reply(200, { items: page.items.map(orderResponse), ...(page.next === undefined ? {} : { nextCursor: encodeCursor(page.next, listed) }) });
    },
  );

  const cancelOrder = route(
    {
      method: 'post',
      path: '/api/orders/:id/cancel',
      summary: 'Cancel an order',
      description:
        'Before payment the stock is released, after it the charge is refunded too; the order is CANCELLED once inventory has ' +
        'released the stock, which the saga in the answer shows. A cancelled order is a 409.',
      tags: ORDERS,
      auth: authenticated,
      request: { params: IdParams },
      responses: { 202: { description: 'The cancellation is under way', body: OrderDetailResponse } },
      problems: [404, 409],
    },
    async ({ params, principal, command, reply }) => {
      await visibleOrder(params.id, principal);
      await commands.cancel(params.id, command);
      return reply(202, orderDetailResponse(await visibleOrder(params.id, principal)));
    },
  );

  return [placeOrder, orderDetail, listOrders, cancelOrder];
}
