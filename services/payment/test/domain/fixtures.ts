import type { EventDraft } from '@msa/platform';
import { deciderSpec } from '@msa/platform/testing';
import { type PaymentCommand, paymentDecider } from '../../src/domain/decide.js';
import type { Charge, PaymentEvent } from '../../src/domain/payment.js';

/** Given/when/then for the Payment aggregate. */
export const { given } = deciderSpec(paymentDecider);

export const paymentId = '2b6f0c4e-8d1a-5e3b-9c7f-1a2b3c4d5e6f';
export const orderId = '7c1e9a2b-3d4f-4a5b-8c6d-9e0f1a2b3c4d';
export const userId = '6f1c2b7e-1d2a-4c3b-9a8e-2f1e0d9c8b7a';

export const charge: Charge = { paymentId, orderId, userId, amount: { amountMinor: 91_800, currency: 'KRW' }, method: 'CARD' };
/** The charge's ids and amount, as the outcome events repeat them. */
export const parties = { paymentId, orderId, userId, amount: charge.amount };

export const initiated = { eventType: 'PaymentInitiated', payload: charge } as const satisfies EventDraft<PaymentEvent>;

export const completed = {
  eventType: 'PaymentCompleted',
  payload: { ...charge, gatewayReference: 'sandbox_ch_1' },
} as const satisfies EventDraft<PaymentEvent>;

export const declined = {
  eventType: 'PaymentFailed',
  payload: { ...parties, code: 'DECLINED', reason: 'Your card was declined.' },
} as const satisfies EventDraft<PaymentEvent>;

export const refunded = {
  eventType: 'PaymentRefunded',
  payload: { ...parties, gatewayReference: 'sandbox_ch_1', refundReference: 'sandbox_re_1' },
} as const satisfies EventDraft<PaymentEvent>;

export const initiate: PaymentCommand = { type: 'InitiatePayment', data: charge };
export const complete = (gatewayReference = 'sandbox_ch_1'): PaymentCommand => ({ type: 'CompletePayment', data: { paymentId, gatewayReference } });
export const fail = (code: 'DECLINED' | 'INSUFFICIENT_FUNDS' = 'DECLINED', reason = 'Your card was declined.'): PaymentCommand => ({
  type: 'FailPayment',
  data: { paymentId, code, reason },
});
export const refund = (refundReference = 'sandbox_re_1'): PaymentCommand => ({ type: 'RefundPayment', data: { paymentId, refundReference } });
