import { AggregateNotFound, DomainRejection } from '@msa/platform/domain';
import type { PaymentState } from './payment.js';

/** An outcome for a payment stream that holds none. */
export class PaymentNotFound extends AggregateNotFound {
  constructor(readonly paymentId: string) {
    super('payment', paymentId);
  }
}

/**
 * An outcome that contradicts the one already recorded (a success after a decline, a refund of a
 * charge that never succeeded). One idempotency key cannot give two answers, so this is a fault to
 * look into, never a state to move to.
 */
export class PaymentOutcomeConflict extends DomainRejection {
  constructor(
    readonly paymentId: string,
    readonly status: PaymentState['status'],
    readonly outcome: string,
  ) {
    super(`payment ${paymentId} is ${status}: it cannot become ${outcome}`);
  }
}
