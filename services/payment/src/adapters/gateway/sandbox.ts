import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Money } from '@msa/contracts';
import { type ChargeOutcome, GatewayUnavailableError, type PaymentGateway } from '../../gateway.js';

/** The test tokens the sandbox knows, as Stripe's test mode names them, and its own that never answers. */
export const SANDBOX_TOKENS = {
  succeeds: 'pm_card_visa',
  declines: 'pm_card_chargeDeclined',
  insufficientFunds: 'pm_card_chargeDeclinedInsufficientFunds',
  neverAnswers: 'pm_sandbox_timeout',
} as const;

/** A charge the sandbox decided, to be kept under its key. */
export interface SandboxCharge {
  readonly idempotencyKey: string;
  readonly reference: string;
  readonly outcome: ChargeOutcome;
  readonly amount: Money;
  readonly token: string;
}

/** A refund the sandbox made, to be kept under its key and its charge. */
export interface SandboxRefund {
  readonly idempotencyKey: string;
  readonly chargeReference: string;
  readonly reference: string;
  readonly amount: Money;
}

/** Where the sandbox keeps its answers, as a provider keeps its books. */
export interface SandboxBook {
  /** The answer first given under `idempotencyKey`, if any. */
  charge(idempotencyKey: string): Promise<ChargeOutcome | undefined>;
  /** Keeps `charge` unless its key has an answer already; returns the answer kept. */
  recordCharge(charge: SandboxCharge): Promise<ChargeOutcome>;
  chargeByReference(reference: string): Promise<ChargeOutcome | undefined>;
  /** The reference of the refund of `chargeReference`, if it was refunded. */
  refundOf(chargeReference: string): Promise<string | undefined>;
  /** Keeps `refund` unless its charge was refunded already; returns the refund's reference kept. */
  recordRefund(refund: SandboxRefund): Promise<string>;
}

/** Options for `sandboxGateway`. */
export interface SandboxOptions {
  readonly book: SandboxBook;
  /** Time each call waits before it answers, in ms. @default 0 */
  readonly latencyMs?: number;
  /** The share of calls, from 0 to 1, that fail with a transient error before doing anything. @default 0 */
  readonly errorRate?: number;
  /** @default Math.random */
  readonly random?: () => number;
}

/** A refund of a charge the sandbox never made or did not take money for: the caller's fault, never worth a retry. */
export class SandboxRefundRefused extends Error {
  override readonly name = 'SandboxRefundRefused';
  readonly retriable = false;
}

const DECLINES: ReadonlyMap<string, ChargeOutcome> = new Map([
  [SANDBOX_TOKENS.declines, { status: 'declined', code: 'DECLINED', reason: 'Your card was declined.' }],
  [SANDBOX_TOKENS.insufficientFunds, { status: 'declined', code: 'INSUFFICIENT_FUNDS', reason: 'Your card has insufficient funds.' }],
]);

/** What a fresh charge of `token` comes to; a token it does not know is declined, as a provider's test mode refuses it. */
function decideCharge(token: string, reference: string): ChargeOutcome {
  if (token === SANDBOX_TOKENS.succeeds) return { status: 'succeeded', reference };
  return DECLINES.get(token) ?? { status: 'declined', code: 'DECLINED', reason: `the sandbox knows no payment method ${token}` };
}

/** Resolves once `signal` aborts. */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => { resolve(); }, { once: true });
  });
}

/**
 * A payment provider's test mode: the test tokens answer as Stripe's do, `pm_sandbox_timeout` never
 * answers (the call ends only when its signal aborts), every call waits `latencyMs` and fails
 * transiently at `errorRate`. Answers are kept in `book` under their idempotency keys, so a key asked
 * again (a retry, a restart) gets the first answer and never a second charge; a charge is refunded once.
 */
export function sandboxGateway({ book, latencyMs = 0, errorRate = 0, random = Math.random }: SandboxOptions): PaymentGateway {
  async function arrive(signal: AbortSignal): Promise<void> {
    if (latencyMs > 0) await sleep(latencyMs, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) throw new GatewayUnavailableError('the sandbox did not answer in time');
    if (random() < errorRate) throw new GatewayUnavailableError('the sandbox answered 503 (a simulated transient error)');
  }

  return {
    name: 'sandbox',
    async charge({ idempotencyKey, amount, token }, signal) {
      await arrive(signal);
      const first = await book.charge(idempotencyKey);
      if (first !== undefined) return first;
      if (token === SANDBOX_TOKENS.neverAnswers) {
        await aborted(signal);
        throw new GatewayUnavailableError('the sandbox did not answer in time');
      }
      const reference = `sandbox_ch_${randomUUID()}`;
      return book.recordCharge({ idempotencyKey, reference, outcome: decideCharge(token, reference), amount, token });
    },

    async refund({ idempotencyKey, chargeReference, amount }, signal) {
      await arrive(signal);
      const done = await book.refundOf(chargeReference);
      if (done !== undefined) return { reference: done };
      const charge = await book.chargeByReference(chargeReference);
      if (charge?.status !== 'succeeded') throw new SandboxRefundRefused(`the sandbox has no succeeded charge ${chargeReference} to refund`);
      return { reference: await book.recordRefund({ idempotencyKey, chargeReference, reference: `sandbox_re_${randomUUID()}`, amount }) };
    },
  };
}
