import type { MongoReadModel } from '@msa/platform';
import type { Filter } from 'mongodb';
import type { OrderPage, OrderListing, OrderSummary } from '../../ports.js';
import type { OrderDocument, OrderDocumentEvent } from './order-read-model.js';

function toSummary({ _id, version, userId, status, items, total, payment, cancellation, createdAt, updatedAt }: OrderDocument): OrderSummary {
  return {
    order: { orderId: _id, userId, status, items, total, payment, cancellation, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() },
    version,
  };
}

/**
 * Lists orders newest first from the read model: by creation time, then id as the tie-break, so a
 * cursor (the last order's time and id) is exact however many orders are placed meanwhile.
 */
export async function listOrders(orders: Pick<MongoReadModel<OrderDocument, OrderDocumentEvent>, 'collection'>, { userId, limit, after }: OrderListing): Promise<OrderPage> {
  const filter: Filter<OrderDocument> = {
    ...(userId === undefined ? {} : { userId }),
    ...(after === undefined
      ? {}
      : { $or: [{ createdAt: { $lt: new Date(after.createdAt) } }, { createdAt: new Date(after.createdAt), _id: { $lt: after.orderId } }] }),
  };
  const documents = await (await orders.collection()).find(filter).sort({ createdAt: -1, _id: -1 }).limit(limit + 1).toArray();
  const page = documents.slice(0, limit).map(toSummary);
  const last = page.at(-1);
  return { items: page, next: documents.length > limit && last !== undefined ? { createdAt: last.order.createdAt, orderId: last.order.orderId } : undefined };
}
