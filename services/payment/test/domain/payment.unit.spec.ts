import { refundDecision } from '../../src/domain/decide.js';
import { paymentIdFor } from '../../src/domain/payment-id.js';
import { initialState, paymentStateOf } from '../../src/domain/payment.js';
import { charge, completed, declined, given, initiated, orderId, refunded } from './fixtures.js';

describe('Payment: evolve', () => {
  it('given no events, then the payment is absent', () => {
    given([]).thenState({ status: 'absent' });
  });

  it('given an initiation, then the payment is initiated with its charge', () => {
    given([initiated]).thenState({ status: 'initiated', charge });
  });

  it('given a completion, then it is completed with the reference', () => {
    given([initiated, completed]).thenState({ status: 'completed', charge, gatewayReference: 'sandbox_ch_1' });
  });

  it('given a decline, then it is failed with the code and reason', () => {
    given([initiated, declined]).thenState({ status: 'failed', charge, code: 'DECLINED', reason: 'Your card was declined.' });
  });

  it('given a refund, then it is refunded with both references', () => {
    given([initiated, completed, refunded]).thenState({ status: 'refunded', charge, gatewayReference: 'sandbox_ch_1', refundReference: 'sandbox_re_1' });
  });
});

describe('Payment: refund decision', () => {
  it('given a completed payment, then its charge is refunded', () => {
    expect(refundDecision({ status: 'completed', charge, gatewayReference: 'sandbox_ch_1' })).toEqual({ action: 'refund', charge, gatewayReference: 'sandbox_ch_1' });
  });

  it('given a refunded payment, then nothing is refunded again', () => {
    expect(refundDecision({ status: 'refunded', charge, gatewayReference: 'g', refundReference: 'r' })).toEqual({ action: 'none', why: 'already-refunded' });
  });

  it('given a payment that took no money, then nothing is refunded', () => {
    for (const state of [initialState(), { status: 'initiated', charge } as const, { status: 'failed', charge, code: 'DECLINED', reason: 'no' } as const]) {
      expect(refundDecision(state)).toEqual({ action: 'none', why: 'not-charged' });
    }
  });
});

describe('Payment: state of a stream', () => {
  it('given no events, then the payment is absent', () => {
    expect(paymentStateOf([])).toEqual({ status: 'absent' });
  });
});

describe('Payment id', () => {
  it('given one order, then every call names the same payment, and another order another one', () => {
    expect(paymentIdFor(orderId)).toBe(paymentIdFor(orderId));
    expect(paymentIdFor(orderId)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(paymentIdFor('8d2f0b3c-4e5a-4b6c-9d7e-0f1a2b3c4d5e')).not.toBe(paymentIdFor(orderId));
  });
});
