import Stripe from 'stripe';
import type { ChargeOutcome, ChargeRequest, PaymentGateway, RefundOutcome, RefundRequest } from '../../gateway.js';
import { GatewayUnavailableError } from '../../gateway.js';
import { chargeDeclineOf, chargeOutcomeOf, failureOf, refundOutcomeOf } from './stripe-answers.js';

/** Options for `stripeClient`. */
export interface StripeClientOptions {
  /** The secret key: `sk_test_…` in test mode. */
  readonly apiKey: string;
  /** Where Stripe's API is, an origin: `https://api.stripe.com`, or a stripe-mock such as `http://127.0.0.1:12111`. */
  readonly apiBase: string;
  /** The longest one request may take before the SDK abandons it. */
  readonly timeoutMs: number;
}

/**
 * The official SDK's client for `apiBase`. It never retries by itself: the payment worker retries with
 * the same idempotency key, after a backoff, and parks what never answers, so SDK retries would only
 * stretch one attempt past the worker's timeout.
 */
export function stripeClient({ apiKey, apiBase: base, timeoutMs }: StripeClientOptions): Stripe {
  const apiBase = new URL(base);
  if (apiBase.pathname !== '/' || apiBase.search !== '' || apiBase.username !== '') {
    throw new Error(`STRIPE_API_BASE must be a bare origin such as https://api.stripe.com, got ${apiBase.origin}${apiBase.pathname}`);
  }
  const protocol = apiBase.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(apiKey, {
    host: apiBase.hostname,
    port: apiBase.port === '' ? (protocol === 'http' ? 80 : 443) : Number(apiBase.port),
    protocol,
    timeout: timeoutMs,
    maxNetworkRetries: 0,
  });
}

/**
 * The port on Stripe's PaymentIntents: one intent per order, created and confirmed in one call with the
 * customer's PaymentMethod as the token and the order id as the idempotency key, so a retry gets
 * Stripe's first answer and never a second charge. Cards only, wallets' included (Apple Pay and Google
 * Pay arrive as card PaymentMethods), with the Dashboard's automatic payment methods off: the SDK's API
 * version names the list `allowed_payment_method_types`, which replaced `payment_method_types`.
 * `error_on_requires_action` turns a card that asks for 3-D Secure into a decline, since the customer
 * is not in this flow to authenticate. Amounts go as they are: both
 * count the currency's minor unit.
 */
export function stripeGateway(client: Stripe): PaymentGateway {
  return {
    name: 'stripe',
    async charge({ idempotencyKey, amount, method, token, description, metadata }: ChargeRequest, signal: AbortSignal): Promise<ChargeOutcome> {
      if (method === 'BANK_TRANSFER') {
        return { status: 'declined', code: 'DECLINED', reason: 'the Stripe gateway takes cards and card wallets, not bank transfers' };
      }
      let intent: Stripe.PaymentIntent;
      try {
        intent = await answered(
          () =>
            client.paymentIntents.create(
              {
                amount: amount.amountMinor,
                currency: amount.currency.toLowerCase(),
                payment_method: token,
                automatic_payment_methods: { enabled: false },
                allowed_payment_method_types: ['card'],
                confirm: true,
                capture_method: 'automatic',
                error_on_requires_action: true,
                description,
                metadata: { ...metadata },
              },
              { idempotencyKey },
            ),
          signal,
        );
      } catch (error) {
        return chargeDeclineOf(error);
      }
      return chargeOutcomeOf(intent);
    },
    async refund({ idempotencyKey, chargeReference, amount }: RefundRequest, signal: AbortSignal): Promise<RefundOutcome> {
      let refund: Stripe.Refund;
      try {
        refund = await answered(
          () => client.refunds.create({ payment_intent: chargeReference, amount: amount.amountMinor }, { idempotencyKey }),
          signal,
        );
      } catch (error) {
        throw failureOf(error);
      }
      return refundOutcomeOf(refund);
    },
  };
}

/**
 * The answer of the request `send` starts, or `GatewayUnavailableError` once `signal` aborts (before it
 * is sent, nothing is): the SDK takes no signal, so an abandoned request runs on to its own timeout while
 * its answer, whatever it is, goes unread.
 */
async function answered<T>(send: () => Promise<T>, signal: AbortSignal): Promise<T> {
  const abandon = () => new GatewayUnavailableError('the Stripe call was abandoned before it answered', { cause: signal.reason });
  if (signal.aborted) throw abandon();
  let onAbort: (() => void) | undefined;
  const abandoned = new Promise<never>((_, reject) => {
    onAbort = () => {
      reject(abandon());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([send(), abandoned]);
  } finally {
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
  }
}
