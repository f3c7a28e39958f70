import { type AuthMiddleware, ConflictError, ForbiddenError, route, type Route } from '@msa/platform';
import type { ParkedCalls, PaymentReads, PaymentView } from '../../ports.js';
import { PaymentIdParams, PaymentListResponse, PaymentsQuery, RetryResponse } from './schemas.js';

/** What the payment routes are built from; app.ts supplies the real ones. */
export interface PaymentRoutesDependencies {
  readonly payments: PaymentReads;
  readonly parked: ParkedCalls;
  /** Admits any verified caller. */
  readonly authenticated: AuthMiddleware;
  /** Admits admins only. */
  readonly adminOnly: AuthMiddleware;
}

function toResponse({ refund, createdAt, updatedAt, ...payment }: PaymentView) {
  return {
    ...payment,
    ...(refund === undefined ? {} : { refund: { reference: refund.reference, at: refund.at.toISOString() } }),
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}

/** The payment service's HTTP API: an order's payments, for its owner or an admin, and re-arming a parked call. */
export function paymentRoutes({ payments, parked, authenticated, adminOnly }: PaymentRoutesDependencies): Route[] {
  const byOrder = route(
    {
      method: 'get',
      path: '/api/payments',
      summary: "An order's payments",
      description: "For the order's owner and admins; another customer gets 403. An order not charged yet has none.",
      tags: ['payments'],
      auth: authenticated,
      request: { query: PaymentsQuery },
      responses: { 200: { description: "The order's payments", body: PaymentListResponse } },
    },
    async ({ query: { orderId }, principal, reply }) => {
      const items = await payments.byOrder(orderId);
      if (!principal.roles.includes('admin') && items.some((payment) => payment.userId !== principal.userId)) {
        throw new ForbiddenError("only the order's owner or an admin may read its payments");
      }
      return reply(200, { items: items.map(toResponse) });
    },
  );
  const retry = route(
    {
      method: 'post',
      path: '/api/payments/:paymentId/retry',
      summary: "Call the gateway again for a payment's parked charge or refund",
      description:
        'For a call parked without an answer, once its cause is known: a fresh round of attempts under the same idempotency key, ' +
        'so the provider answers what it did the first time and never charges twice. 409 when nothing of the payment is parked.',
      tags: ['payments'],
      auth: adminOnly,
      request: { params: PaymentIdParams },
      responses: { 202: { description: 'The parked calls are due again', body: RetryResponse } },
      problems: [409],
    },
    async ({ params: { paymentId }, reply }) => {
      const retrying = await parked.rearm(paymentId);
      if (retrying.length === 0) throw new ConflictError(`payment ${paymentId} has no parked gateway call`);
      return reply(202, { paymentId, retrying: [...retrying] });
    },
  );

  return [byOrder, retry];
}
