import type { MongoReadModel } from '@msa/platform';
import type { PaymentReads } from '../../ports.js';
import type { PaymentEvent } from '../../domain/payment.js';
import type { PaymentDocument } from './payment-read-model.js';

/** Where the queries read: the read model's serving collection, and the charges' attempt counts. */
export interface PaymentReadSources {
  readonly payments: Pick<MongoReadModel<PaymentDocument, PaymentEvent>, 'collection'>;
  readonly attempts: (paymentIds: readonly string[]) => Promise<ReadonlyMap<string, number>>;
}

/** An order's payments from the MongoDB read model, with their attempts from the worker's queue. */
export function paymentQueries({ payments, attempts }: PaymentReadSources): PaymentReads {
  return {
    async byOrder(orderId) {
      const found = await (await payments.collection()).find({ orderId }).sort({ createdAt: 1 }).toArray();
      const counts = await attempts(found.map((document) => document._id));
      return found.map(({ _id, version: _version, ...document }) => ({ ...document, paymentId: _id, attempts: counts.get(_id) ?? 0 }));
    },
  };
}
