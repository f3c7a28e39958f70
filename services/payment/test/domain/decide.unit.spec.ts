import { PaymentNotFound, PaymentOutcomeConflict } from '../../src/domain/errors.js';
import { charge, complete, completed, declined, fail, given, initiate, initiated, parties, paymentId, refund, refunded } from './fixtures.js';

describe('Payment: initiate', () => {
  it('given no payment, when an order confirmation initiates it, then PaymentInitiated with the charge and its method', () => {
    given([]).when(initiate).then([initiated]);
  });

  it('given an initiated payment, when the confirmation is redelivered, then nothing is recorded', () => {
    given([initiated]).when(initiate).then([]);
  });

  it('given a settled payment, when the confirmation is redelivered, then nothing is recorded', () => {
    given([initiated, completed]).when(initiate).then([]);
    given([initiated, declined]).when(initiate).then([]);
    given([initiated, completed, refunded]).when(initiate).then([]);
  });
});

describe('Payment: complete', () => {
  it('given an initiated payment, when the gateway charged it, then PaymentCompleted with the reference and the method', () => {
    given([initiated]).when(complete('sandbox_ch_1')).then([{ eventType: 'PaymentCompleted', payload: { ...charge, gatewayReference: 'sandbox_ch_1' } }]);
  });

  it('given a completed payment, when the same charge is recorded again (a worker whose lease ran out), then nothing is recorded', () => {
    given([initiated, completed]).when(complete('sandbox_ch_1')).then([]);
  });

  it('given a completed payment, when another charge reference arrives, then the conflict is refused', () => {
    given([initiated, completed]).when(complete('sandbox_ch_2')).thenThrows(PaymentOutcomeConflict, { paymentId, status: 'completed' });
  });

  it('given a declined payment, when a success arrives, then the conflict is refused', () => {
    given([initiated, declined]).when(complete()).thenThrows(PaymentOutcomeConflict, { status: 'failed' });
  });

  it('given no payment, when a success arrives, then the payment is not found', () => {
    given([]).when(complete()).thenThrows(PaymentNotFound, { paymentId });
  });
});

describe('Payment: fail', () => {
  it('given an initiated payment, when the gateway declines, then PaymentFailed DECLINED with the reason', () => {
    given([initiated]).when(fail('DECLINED', 'Your card was declined.')).then([declined]);
  });

  it('given an initiated payment, when the funds are short, then PaymentFailed INSUFFICIENT_FUNDS', () => {
    given([initiated])
      .when(fail('INSUFFICIENT_FUNDS', 'Your card has insufficient funds.'))
      .then([{ eventType: 'PaymentFailed', payload: { ...parties, code: 'INSUFFICIENT_FUNDS', reason: 'Your card has insufficient funds.' } }]);
  });

  it('given a failed payment, when the decline is recorded again, then nothing is recorded', () => {
    given([initiated, declined]).when(fail()).then([]);
  });

  it('given a completed payment, when a decline arrives, then the conflict is refused', () => {
    given([initiated, completed]).when(fail()).thenThrows(PaymentOutcomeConflict, { status: 'completed' });
  });

  it('given no payment, when a decline arrives, then the payment is not found', () => {
    given([]).when(fail()).thenThrows(PaymentNotFound);
  });
});

describe('Payment: refund', () => {
  it('given a completed payment, when the gateway refunded it, then PaymentRefunded with both references', () => {
    given([initiated, completed]).when(refund('sandbox_re_1')).then([refunded]);
  });

  it('given a refunded payment, when the same refund is recorded again, then nothing is recorded', () => {
    given([initiated, completed, refunded]).when(refund('sandbox_re_1')).then([]);
  });

  it('given a refunded payment, when another refund reference arrives, then the second refund is refused', () => {
    given([initiated, completed, refunded]).when(refund('sandbox_re_2')).thenThrows(PaymentOutcomeConflict, { status: 'refunded' });
  });

  it('given a payment that took no money, when a refund arrives, then it is refused', () => {
    given([initiated]).when(refund()).thenThrows(PaymentOutcomeConflict, { status: 'initiated' });
    given([initiated, declined]).when(refund()).thenThrows(PaymentOutcomeConflict, { status: 'failed' });
  });

  it('given no payment, when a refund arrives, then the payment is not found', () => {
    given([]).when(refund()).thenThrows(PaymentNotFound, { paymentId });
  });
});
