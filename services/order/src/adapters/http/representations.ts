import { lineTotal } from '../../domain/pricing.js';
import type { OrderDetail, OrderSummary, VersionedOrder } from '../../ports.js';

/** An order as the API returns it: the payment's method, never its token. */
export function orderResponse({ order, version }: VersionedOrder | OrderSummary) {
  const { orderId, userId, status, items, total, payment, cancellation, createdAt, updatedAt } = order;
  return {
    orderId,
    userId,
    status,
    items: items.map((line) => ({ ...line, lineTotal: lineTotal(line) })),
    total,
    ...(payment === undefined ? {} : { payment: { method: payment.method } }),
    ...(cancellation === undefined ? {} : { cancellation }),
    createdAt,
    updatedAt,
    version,
  };
}

/** An order with its saga's state, deadline and steps. */
export function orderDetailResponse(detail: OrderDetail) {
  const { saga } = detail;
  return {
    ...orderResponse(detail),
    ...(saga === undefined
      ? {}
      : { saga: { state: saga.state.phase, ...(saga.state.deadline === undefined ? {} : { deadline: saga.state.deadline }), steps: saga.history } }),
  };
}
