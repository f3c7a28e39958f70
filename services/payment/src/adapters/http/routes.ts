import { type AuthMiddleware, ForbiddenError, route, type Route } from '@msa/platform';
import type { PaymentReads, PaymentView } from '../../ports.js';
import { PaymentListResponse, PaymentsQuery } from './schemas.js';

/** What the payment routes are built from; app.ts supplies the real ones. */
export interface PaymentRoutesDependencies {
  readonly payments: PaymentReads;
  /** Admits any verified caller. */
  readonly authenticated: AuthMiddleware;
}

function toResponse({ refund, createdAt, updatedAt, ...payment }: PaymentView) {
  return {
    ...payment,
    ...(refund === undefined ? {} : { refund: { reference: refund.reference, at: refund.at.toISOString() } }),
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}

/** The payment service's HTTP API: an order's payments, for its owner or an admin. */
export function paymentRoutes({ payments, authenticated }: PaymentRoutesDependencies): Route[] {
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
  return [byOrder];
}
