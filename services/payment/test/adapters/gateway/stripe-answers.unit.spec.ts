import Stripe from 'stripe';
import {
  chargeDeclineOf,
  chargeOutcomeOf,
  failureOf,
  isTransient,
  refundOutcomeOf,
} from '../../../src/adapters/gateway/stripe-answers.js';
import { GatewayUnavailableError } from '../../../src/gateway.js';

const { errors } = Stripe;

/** A PaymentIntent as a confirmed create answers it, with only the fields the mapping reads. */
function intent(
  status: Stripe.PaymentIntent.Status,
  lastPaymentError: Stripe.PaymentIntent.LastPaymentError | null = null,
): Pick<Stripe.PaymentIntent, 'id' | 'status' | 'last_payment_error'> {
  return { id: 'pi_3Q', status, last_payment_error: lastPaymentError };
}

describe('Stripe answers: a confirmed PaymentIntent', () => {
  it('given succeeded, then the charge succeeded with the intent as its reference', () => {
    expect(chargeOutcomeOf(intent('succeeded'))).toEqual({ status: 'succeeded', reference: 'pi_3Q' });
  });

  it('given requires_payment_method after an insufficient-funds decline, then INSUFFICIENT_FUNDS with its message', () => {
    const error = { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' } as const;

    expect(chargeOutcomeOf(intent('requires_payment_method', error))).toEqual({
      status: 'declined',
      code: 'INSUFFICIENT_FUNDS',
      reason: 'Your card has insufficient funds. (insufficient_funds)',
    });
  });

  it('given requires_payment_method without an error, then DECLINED naming the intent', () => {
    expect(chargeOutcomeOf(intent('requires_payment_method'))).toEqual({
      status: 'declined',
      code: 'DECLINED',
      reason: 'PaymentIntent pi_3Q needs another payment method',
    });
  });

  it.each(['requires_action', 'requires_confirmation', 'canceled'] as const)('given %s, then DECLINED: no money moved', (status) => {
    const outcome = chargeOutcomeOf(intent(status));

    expect(outcome).toMatchObject({ status: 'declined', code: 'DECLINED' });
    expect(outcome).toHaveProperty('reason', expect.stringContaining('pi_3Q'));
  });

  it('given processing, then the outcome is unknown and the caller asks again', () => {
    expect(() => chargeOutcomeOf(intent('processing'))).toThrow(GatewayUnavailableError);
  });

  it('given requires_capture, which automatic capture never answers, then an error that is not worth a retry as unavailable', () => {
    const thrown = captured(() => chargeOutcomeOf(intent('requires_capture')));

    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(GatewayUnavailableError);
    expect(thrown).toHaveProperty('message', expect.stringContaining('requires_capture'));
  });
});

describe('Stripe answers: a charge refused with an error', () => {
  it('given a card error with decline code insufficient_funds, then INSUFFICIENT_FUNDS', () => {
    const error = new errors.StripeCardError({
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
      statusCode: 402,
    });

    expect(chargeDeclineOf(error)).toEqual({ status: 'declined', code: 'INSUFFICIENT_FUNDS', reason: 'Your card has insufficient funds. (insufficient_funds)' });
  });

  it('given a card error with decline code generic_decline, then DECLINED', () => {
    const error = new errors.StripeCardError({ type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.', statusCode: 402 });

    expect(chargeDeclineOf(error)).toEqual({ status: 'declined', code: 'DECLINED', reason: 'Your card was declined. (generic_decline)' });
  });

  it('given a card error without a decline code, such as an expired card, then DECLINED with its error code', () => {
    const error = new errors.StripeCardError({ type: 'card_error', code: 'expired_card', message: 'Your card has expired.', statusCode: 402 });

    expect(chargeDeclineOf(error)).toEqual({ status: 'declined', code: 'DECLINED', reason: 'Your card has expired. (expired_card)' });
  });

  it('given a card that needs authentication, refused by error_on_requires_action, then DECLINED', () => {
    const error = new errors.StripeCardError({ type: 'card_error', code: 'authentication_required', decline_code: 'authentication_required', message: 'Your card was declined. This transaction requires authentication.', statusCode: 402 });

    expect(chargeDeclineOf(error)).toMatchObject({ status: 'declined', code: 'DECLINED' });
  });

  it('given a payment method Stripe does not know, then DECLINED: the token cannot be charged', () => {
    const error = new errors.StripeInvalidRequestError({ type: 'invalid_request_error', code: 'resource_missing', param: 'payment_method', message: "No such PaymentMethod: 'pm_gone'", statusCode: 400 });

    expect(chargeDeclineOf(error)).toEqual({ status: 'declined', code: 'DECLINED', reason: "No such PaymentMethod: 'pm_gone' (resource_missing)" });
  });

  it('given an invalid request about another parameter, then it is thrown as it is, for the worker to park', () => {
    const error = new errors.StripeInvalidRequestError({ type: 'invalid_request_error', param: 'amount', message: 'Amount must be at least 50 cents', statusCode: 400 });

    expect(captured(() => chargeDeclineOf(error))).toBe(error);
  });

  it('given a timeout, then the outcome is unknown and the error says why', () => {
    const error = new errors.StripeConnectionError({ message: 'Request aborted due to timeout being reached (5000ms)' });
    const thrown = captured(() => chargeDeclineOf(error));

    expect(thrown).toBeInstanceOf(GatewayUnavailableError);
    expect(thrown).toHaveProperty('message', 'Stripe gave no definite answer: Request aborted due to timeout being reached (5000ms)');
    expect(thrown).toHaveProperty('cause', error);
  });

  it('given an abandoned call, then its GatewayUnavailableError goes on unchanged', () => {
    const abandoned = new GatewayUnavailableError('the Stripe call was abandoned before it answered');

    expect(captured(() => chargeDeclineOf(abandoned))).toBe(abandoned);
  });
});

describe('Stripe answers: which failures leave the outcome unknown', () => {
  const apiError = (statusCode: number | undefined, headers: Record<string, string> = {}) =>
    new errors.StripeAPIError({ type: 'api_error', message: 'Something went wrong', ...(statusCode === undefined ? {} : { statusCode }), headers });

  it.each([500, 502, 503])('given a %i, then transient', (status) => {
    expect(isTransient(apiError(status))).toBe(true);
  });

  it('given an API error without a status, such as a page that is not JSON, then transient', () => {
    expect(isTransient(apiError(undefined))).toBe(true);
  });

  it('given a 500 that Stripe advises not to retry, then not transient', () => {
    expect(isTransient(apiError(500, { 'stripe-should-retry': 'false' }))).toBe(false);
  });

  it('given a 400 that Stripe advises to retry, such as a lock timeout, then transient', () => {
    const error = new errors.StripeInvalidRequestError({ type: 'invalid_request_error', code: 'lock_timeout', message: 'locked', statusCode: 400, headers: { 'stripe-should-retry': 'true' } });

    expect(isTransient(error)).toBe(true);
  });

  it('given a rate limit (429), then transient', () => {
    expect(isTransient(new errors.StripeRateLimitError({ type: 'rate_limit_error', message: 'Too many requests', statusCode: 429 }))).toBe(true);
  });

  it('given a 409 conflict of a key in use by a concurrent request, then transient', () => {
    const error = new errors.StripeInvalidRequestError({ type: 'invalid_request_error', code: 'idempotency_key_in_use', message: 'in use', statusCode: 409 });

    expect(isTransient(error)).toBe(true);
  });

  it('given a key reused with other parameters (an idempotency error), then not transient: no retry mends it', () => {
    const error = new errors.StripeIdempotencyError({ type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters', statusCode: 409 });

    expect(isTransient(error)).toBe(false);
  });

  it('given a bad key (401), then not transient, and failureOf throws it as it is', () => {
    const error = new errors.StripeAuthenticationError({ type: 'authentication_error', message: 'Invalid API Key provided', statusCode: 401 });

    expect(isTransient(error)).toBe(false);
    expect(failureOf(error)).toBe(error);
  });

  it('given a 503, then failureOf says the status', () => {
    expect(failureOf(apiError(503))).toHaveProperty('message', 'Stripe gave no definite answer (503): Something went wrong');
  });
});

describe('Stripe answers: a refund', () => {
  it.each(['succeeded', 'pending'] as const)('given %s, then its id is the reference', (status) => {
    expect(refundOutcomeOf({ id: 're_1', status })).toEqual({ reference: 're_1' });
  });

  it('given failed, then an error naming the refund and why', () => {
    expect(() => refundOutcomeOf({ id: 're_1', status: 'failed', failure_reason: 'charge_for_pending_refund_disputed' })).toThrow(
      'Stripe refund re_1 is failed: charge_for_pending_refund_disputed',
    );
  });
});

function captured(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected it to throw');
}
