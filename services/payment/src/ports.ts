import type { PaymentDocument } from './adapters/mongo/payment-read-model.js';

/** A payment as the API shows it: the read model's document and how many gateway calls its charge took. */
export interface PaymentView extends Omit<PaymentDocument, '_id' | 'version'> {
  readonly paymentId: string;
  readonly attempts: number;
}

/** The payments as the routes read them. */
export interface PaymentReads {
  /** The payments of `orderId`: none, or the one its confirmation started. */
  byOrder(orderId: string): Promise<PaymentView[]>;
}

/** The parked gateway calls, as an admin re-arms them. */
export interface ParkedCalls {
  /** Makes the payment's parked calls due again; the kinds re-armed, none when nothing was parked. */
  rearm(paymentId: string): Promise<readonly ('charge' | 'refund')[]>;
}
