import type { Money, PaymentMethod } from '@msa/contracts';

/**
 * The payment provider, as the payment service needs it: charge a token once per idempotency key, and
 * refund a charge. Two adapters implement it: the sandbox (the local default, a provider's test mode)
 * and Stripe. Card data never reaches the platform; `token` is what the provider's client library made.
 */
export interface PaymentGateway {
  /** The adapter's name, for logs and metrics (`sandbox`, `stripe`). */
  readonly name: string;
  /**
   * Charges `amount` to `token`. The same `idempotencyKey` (the order id) always yields the outcome of the
   * first call and never a second charge, however often it is retried.
   *
   * @throws GatewayUnavailableError when the provider did not answer in time or answered with a transient
   * error: the outcome is unknown, so the caller retries with the same key.
   */
  charge(request: ChargeRequest, signal: AbortSignal): Promise<ChargeOutcome>;
  /**
   * Refunds the whole of a succeeded charge; the same `idempotencyKey` never refunds twice.
   *
   * @throws GatewayUnavailableError as for {@link charge}.
   */
  refund(request: RefundRequest, signal: AbortSignal): Promise<RefundOutcome>;
}

/** One charge, keyed for idempotency by the order it pays for. */
export interface ChargeRequest {
  readonly idempotencyKey: string;
  readonly amount: Money;
  readonly method: PaymentMethod;
  readonly token: string;
  /** Shown to the customer by the provider, such as `Order 3a4b…`. */
  readonly description: string;
  /** Provider-side metadata (order id, payment id, user id), for reconciliation. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** What the provider decided: a definite answer, never an unknown one (that is a thrown error). */
export type ChargeOutcome =
  | { readonly status: 'succeeded'; readonly reference: string }
  | { readonly status: 'declined'; readonly code: 'DECLINED' | 'INSUFFICIENT_FUNDS'; readonly reason: string };

/** A refund of a whole charge. */
export interface RefundRequest {
  readonly idempotencyKey: string;
  /** The `reference` the succeeded charge answered. */
  readonly chargeReference: string;
  readonly amount: Money;
}

/** The provider's refund. */
export interface RefundOutcome {
  readonly reference: string;
}

/** The provider did not answer in time, or answered with a transient error: retry with the same key. */
export class GatewayUnavailableError extends Error {
  override readonly name = 'GatewayUnavailableError';
}
