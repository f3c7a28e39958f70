import type { DomainEvent, PaymentCompleted, PaymentFailed, PaymentInitiated, PaymentRefunded } from '@msa/contracts';

/** The Payment aggregate's events, as the contracts define them. */
export type PaymentEvent = PaymentInitiated | PaymentCompleted | PaymentFailed | PaymentRefunded;

/** What a payment charges, and to whom: `PaymentInitiated`'s payload. */
export type Charge = PaymentInitiated['payload'];

/** Why a charge failed, in the gateway's terms. */
export type FailureCode = PaymentFailed['payload']['code'];

/** The event stream of one payment. */
export function paymentStream(paymentId: string): string {
  return `payment-${paymentId}`;
}

/**
 * One order's payment. `initiated` lasts until the gateway gives a definite answer: a charge whose
 * outcome is unknown (timed out, parked) stays initiated rather than being called failed, since the
 * provider may have taken the money.
 */
export type PaymentState =
  | { readonly status: 'absent' }
  | { readonly status: 'initiated'; readonly charge: Charge }
  | { readonly status: 'completed'; readonly charge: Charge; readonly gatewayReference: string }
  | { readonly status: 'failed'; readonly charge: Charge; readonly code: FailureCode; readonly reason: string }
  | { readonly status: 'refunded'; readonly charge: Charge; readonly gatewayReference: string; readonly refundReference: string };

/** The state of a stream with no events. */
export const initialState = (): PaymentState => ({ status: 'absent' });

/** Applies one event to the state. */
export function evolve(state: PaymentState, event: PaymentEvent): PaymentState {
  switch (event.eventType) {
    case 'PaymentInitiated':
      return { status: 'initiated', charge: event.payload };
    case 'PaymentCompleted':
      return state.status === 'absent' ? state : { status: 'completed', charge: state.charge, gatewayReference: event.payload.gatewayReference };
    case 'PaymentFailed':
      return state.status === 'absent' ? state : { status: 'failed', charge: state.charge, code: event.payload.code, reason: event.payload.reason };
    case 'PaymentRefunded': {
      const { gatewayReference, refundReference } = event.payload;
      return state.status === 'absent' ? state : { status: 'refunded', charge: state.charge, gatewayReference, refundReference };
    }
    default:
      return assertNever(event);
  }
}

/** The state a payment stream's events build; events of other aggregates are no part of it. */
export function paymentStateOf(events: readonly DomainEvent[]): PaymentState {
  return events.filter(isPaymentEvent).reduce(evolve, initialState());
}

function isPaymentEvent(event: DomainEvent): event is PaymentEvent {
  return event.aggregateType === 'Payment';
}

function assertNever(value: never): never {
  throw new Error(`unhandled payment event ${JSON.stringify(value)}`);
}
