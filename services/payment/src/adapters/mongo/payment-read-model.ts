import type { Money, PaymentMethod } from '@msa/contracts';
import type { ReadModelDefinition } from '@msa/platform';
import type { FailureCode, PaymentEvent } from '../../domain/payment.js';

/** One payment in the read model, as of stream version `version`. */
export interface PaymentDocument {
  /** The payment id. */
  readonly _id: string;
  readonly version: number;
  readonly orderId: string;
  readonly userId: string;
  readonly status: 'INITIATED' | 'COMPLETED' | 'FAILED' | 'REFUNDED';
  readonly amount: Money;
  readonly method: PaymentMethod;
  readonly gatewayReference?: string;
  readonly failure?: { readonly code: FailureCode; readonly reason: string };
  readonly refund?: { readonly reference: string; readonly at: Date };
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/**
 * The `payments` read model: one document per payment, found by its order (an order has one payment
 * at most, since the payment id is derived from the order id).
 */
export const paymentReadModel: ReadModelDefinition<PaymentDocument, PaymentEvent> = {
  name: 'payments',
  handles: ['PaymentInitiated', 'PaymentCompleted', 'PaymentFailed', 'PaymentRefunded'],
  indexes: [{ name: 'by_order', key: { orderId: 1 } }],
  evolve(payment, event) {
    const at = new Date(event.occurredAt);
    switch (event.eventType) {
      case 'PaymentInitiated': {
        const { orderId, userId, amount, method } = event.payload;
        return { orderId, userId, status: 'INITIATED', amount, method, createdAt: at, updatedAt: at };
      }
      case 'PaymentCompleted':
        return payment === undefined ? undefined : { ...payment, status: 'COMPLETED', gatewayReference: event.payload.gatewayReference, updatedAt: at };
      case 'PaymentFailed': {
        const { code, reason } = event.payload;
        return payment === undefined ? undefined : { ...payment, status: 'FAILED', failure: { code, reason }, updatedAt: at };
      }
      case 'PaymentRefunded': {
        const { gatewayReference, refundReference } = event.payload;
        return payment === undefined
          ? undefined
          : { ...payment, status: 'REFUNDED', gatewayReference, refund: { reference: refundReference, at }, updatedAt: at };
      }
      default:
        return assertNever(event);
    }
  },
};

function assertNever(value: never): never {
  throw new Error(`unhandled payment read model event ${JSON.stringify(value)}`);
}
