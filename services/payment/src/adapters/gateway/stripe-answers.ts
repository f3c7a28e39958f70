import Stripe from 'stripe';
import { type ChargeOutcome, GatewayUnavailableError, type RefundOutcome } from '../../gateway.js';

type Declined = Extract<ChargeOutcome, { status: 'declined' }>;

/** Stripe's decline code for a card without the funds; every other decline is `DECLINED`. */
const INSUFFICIENT_FUNDS = 'insufficient_funds';

/** A decline, `declineCode` (Stripe's, or its error code where it gave none; empty counts as none) after its message. */
function declined(declineCode: string | undefined, message: string): Declined {
  const code = declineCode === INSUFFICIENT_FUNDS ? 'INSUFFICIENT_FUNDS' : 'DECLINED';
  return { status: 'declined', code, reason: declineCode === undefined || declineCode === '' ? message : `${message} (${declineCode})` };
}

/**
 * What a PaymentIntent created with `confirm: true` answered. `succeeded` is the charge, and its id the
 * reference a refund names. `processing` leaves the outcome open, so the caller asks again with the same
 * key. A status that moved no money is a decline: a payment method that did not go through (Stripe
 * answers that with a card error, but the intent says it too), an authentication the customer is not
 * here to give, a cancel. `requires_capture` would be an authorization held, never asked for here.
 */
export function chargeOutcomeOf(intent: Pick<Stripe.PaymentIntent, 'id' | 'status' | 'last_payment_error'>): ChargeOutcome {
  const error = intent.last_payment_error;
  switch (intent.status) {
    case 'succeeded':
      return { status: 'succeeded', reference: intent.id };
    case 'processing':
      throw new GatewayUnavailableError(`Stripe is still processing PaymentIntent ${intent.id}`);
    case 'requires_payment_method':
      return declined(error?.decline_code ?? error?.code, error?.message ?? `PaymentIntent ${intent.id} needs another payment method`);
    case 'requires_action':
    case 'requires_confirmation':
      return declined(undefined, `PaymentIntent ${intent.id} is ${intent.status}: it needs the customer, who is not in this flow`);
    case 'canceled':
      return declined(undefined, `PaymentIntent ${intent.id} was canceled`);
    default:
      throw new Error(`PaymentIntent ${intent.id} answered ${intent.status}, which a confirmed charge with automatic capture never does`);
  }
}

/**
 * Whether Stripe's error leaves the outcome unknown and a retry with the same idempotency key may
 * succeed: what the SDK's own retries would retry. No connection or no answer in time; Stripe's
 * `Stripe-Should-Retry` advice where it gives one; its own failures (5xx, or an API error without a
 * status, such as a proxy's page that is not JSON); 429; and a 409 conflict other than a key reused
 * with other parameters, which no retry mends.
 */
export function isTransient(error: Stripe.errors.StripeError): boolean {
  if (error instanceof Stripe.errors.StripeConnectionError) return true;
  const advice = error.headers?.['stripe-should-retry'];
  if (advice === 'true' || advice === 'false') return advice === 'true';
  const status = error.statusCode;
  if (status === undefined) return error instanceof Stripe.errors.StripeAPIError;
  return status >= 500 || status === 429 || (status === 409 && !(error instanceof Stripe.errors.StripeIdempotencyError));
}

/**
 * A failed Stripe call as the port throws it: `GatewayUnavailableError` when the outcome is unknown;
 * any other error as it is (a bad key, a request Stripe refuses), for the caller's bounded retries to
 * park with its message.
 */
export function failureOf(error: unknown): Error {
  if (error instanceof Stripe.errors.StripeError && isTransient(error)) {
    const status = error.statusCode === undefined ? '' : ` (${error.statusCode})`;
    return new GatewayUnavailableError(`Stripe gave no definite answer${status}: ${error.message}`, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * A charge that Stripe refused with an error: a card error (declined, insufficient funds, an
 * authentication it would need) and a payment method Stripe does not know are declines; anything else
 * is thrown as {@link failureOf} says.
 */
export function chargeDeclineOf(error: unknown): Declined {
  if (error instanceof Stripe.errors.StripeCardError) return declined(declineCodeOf(error), error.message);
  if (error instanceof Stripe.errors.StripeInvalidRequestError && error.param === 'payment_method') {
    return declined(error.code, error.message);
  }
  throw failureOf(error);
}

/** The SDK gives a card error without one (an expired card) an empty decline code; its error code says more. */
function declineCodeOf(error: Stripe.errors.StripeCardError): string | undefined {
  return error.decline_code === '' ? error.code : error.decline_code;
}

/** A refund Stripe made or is making (`pending` until the card network confirms it); one that failed or was canceled is an error. */
export function refundOutcomeOf(refund: Pick<Stripe.Refund, 'id' | 'status' | 'failure_reason'>): RefundOutcome {
  if (refund.status === 'failed' || refund.status === 'canceled') {
    throw new Error(`Stripe refund ${refund.id} is ${refund.status}${refund.failure_reason === undefined ? '' : `: ${refund.failure_reason}`}`);
  }
  return { reference: refund.id };
}
