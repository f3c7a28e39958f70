import type { Decider, EventDraft } from '@msa/platform';
import { PaymentNotFound, PaymentOutcomeConflict } from './errors.js';
import { type Charge, evolve, type FailureCode, initialState, type PaymentEvent, type PaymentState } from './payment.js';

/** Starts the charge of a confirmed order. */
export interface InitiatePayment {
  readonly type: 'InitiatePayment';
  readonly data: Charge;
}

/** The gateway took the money. */
export interface CompletePayment {
  readonly type: 'CompletePayment';
  readonly data: { readonly paymentId: string; readonly gatewayReference: string };
}

/** The gateway refused the charge for good. */
export interface FailPayment {
  readonly type: 'FailPayment';
  readonly data: { readonly paymentId: string; readonly code: FailureCode; readonly reason: string };
}

/** The gateway refunded the whole charge. */
export interface RefundPayment {
  readonly type: 'RefundPayment';
  readonly data: { readonly paymentId: string; readonly refundReference: string };
}

/** What can be asked of the Payment aggregate. */
export type PaymentCommand = InitiatePayment | CompletePayment | FailPayment | RefundPayment;

type Drafts = EventDraft<PaymentEvent>[];

/**
 * Every command may arrive twice (a redelivered confirmation, a worker whose lease ran out while it
 * recorded): a repeat of what the stream already says records nothing, and only an outcome that
 * contradicts it is refused.
 */
export function decide(command: PaymentCommand, state: PaymentState): Drafts {
  switch (command.type) {
    case 'InitiatePayment':
      return state.status === 'absent' ? [{ eventType: 'PaymentInitiated', payload: command.data }] : [];
    case 'CompletePayment':
      return complete(command.data, state);
    case 'FailPayment':
      return fail(command.data, state);
    case 'RefundPayment':
      return refund(command.data, state);
    default:
      return assertNever(command);
  }
}

function complete({ paymentId, gatewayReference }: CompletePayment['data'], state: PaymentState): Drafts {
  switch (state.status) {
    case 'absent':
      throw new PaymentNotFound(paymentId);
    case 'initiated':
      return [{ eventType: 'PaymentCompleted', payload: { ...state.charge, gatewayReference } }];
    case 'completed':
    case 'refunded':
      if (state.gatewayReference === gatewayReference) return [];
      throw new PaymentOutcomeConflict(paymentId, state.status, `completed by charge ${gatewayReference}`);
    case 'failed':
      throw new PaymentOutcomeConflict(paymentId, state.status, 'completed');
    default:
      return assertNever(state);
  }
}

function fail({ paymentId, code, reason }: FailPayment['data'], state: PaymentState): Drafts {
  switch (state.status) {
    case 'absent':
      throw new PaymentNotFound(paymentId);
    case 'initiated':
      return [{ eventType: 'PaymentFailed', payload: { ...parties(state.charge), code, reason } }];
    case 'failed':
      return [];
    case 'completed':
    case 'refunded':
      throw new PaymentOutcomeConflict(paymentId, state.status, `failed (${code})`);
    default:
      return assertNever(state);
  }
}

function refund({ paymentId, refundReference }: RefundPayment['data'], state: PaymentState): Drafts {
  switch (state.status) {
    case 'absent':
      throw new PaymentNotFound(paymentId);
    case 'completed':
      return [{ eventType: 'PaymentRefunded', payload: { ...parties(state.charge), gatewayReference: state.gatewayReference, refundReference } }];
    case 'refunded':
      if (state.refundReference === refundReference) return [];
      throw new PaymentOutcomeConflict(paymentId, state.status, `refunded again by ${refundReference}`);
    case 'initiated':
    case 'failed':
      throw new PaymentOutcomeConflict(paymentId, state.status, 'refunded');
    default:
      return assertNever(state);
  }
}

/** The charge's ids and amount, which every outcome event repeats. */
function parties({ paymentId, orderId, userId, amount }: Charge): Omit<Charge, 'method'> {
  return { paymentId, orderId, userId, amount };
}

/** What a refund request comes to on a payment: a refund of its charge, or nothing to do, and why. */
export type RefundDecision =
  | { readonly action: 'refund'; readonly charge: Charge; readonly gatewayReference: string }
  | { readonly action: 'none'; readonly why: 'already-refunded' | 'not-charged' };

/**
 * Refunds happen only where the charge succeeded, and once: a refunded payment, and one that never
 * took money (absent, failed, or still waiting on the gateway), asks for nothing.
 */
export function refundDecision(state: PaymentState): RefundDecision {
  switch (state.status) {
    case 'completed':
      return { action: 'refund', charge: state.charge, gatewayReference: state.gatewayReference };
    case 'refunded':
      return { action: 'none', why: 'already-refunded' };
    case 'absent':
    case 'initiated':
    case 'failed':
      return { action: 'none', why: 'not-charged' };
    default:
      return assertNever(state);
  }
}

/** The Payment aggregate for the platform's command handler. */
export const paymentDecider: Decider<PaymentState, PaymentCommand, 'Payment'> = {
  aggregateType: 'Payment',
  initialState,
  evolve,
  decide,
};

function assertNever(value: never): never {
  throw new Error(`unhandled payment case ${JSON.stringify(value)}`);
}
