import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChargeOutcome, ChargeRequest, PaymentGateway, RefundOutcome, RefundRequest } from '../../gateway.js';
import { GatewayUnavailableError } from '../../gateway.js';
import type { Queryable } from '../postgres/queryable.js';

/** The test tokens the sandbox knows, as Stripe's test mode names them, and its own that never answers. */
export const SANDBOX_TOKENS = {
  succeeds: 'pm_card_visa',
  declines: 'pm_card_chargeDeclined',
  insufficientFunds: 'pm_card_chargeDeclinedInsufficientFunds',
  neverAnswers: 'pm_sandbox_timeout',
} as const;

/** Options for `sandboxGateway`. */
export interface SandboxOptions {
  /** Where the sandbox keeps its charges and refunds: the payment database. */
  readonly db: Queryable;
  /** Time each call waits before it answers, in ms. @default 0 */
  readonly latencyMs?: number;
  /** The share of calls, from 0 to 1, that fail with a transient error before doing anything. @default 0 */
  readonly errorRate?: number;
  /** @default Math.random */
  readonly random?: () => number;
}

/** A sandbox refund of a charge it never made, or of one it declined: the caller's fault, never worth a retry. */
export class SandboxRefundRefused extends Error {
  override readonly name = 'SandboxRefundRefused';
  readonly retriable = false;
}

const DECLINES: Readonly<Record<string, Extract<ChargeOutcome, { status: 'declined' }>>> = {
  [SANDBOX_TOKENS.declines]: { status: 'declined', code: 'DECLINED', reason: 'Your card was declined.' },
  [SANDBOX_TOKENS.insufficientFunds]: { status: 'declined', code: 'INSUFFICIENT_FUNDS', reason: 'Your card has insufficient funds.' },
};

interface ChargeRow {
  readonly reference: string;
  readonly status: 'succeeded' | 'declined';
  readonly decline_code: 'DECLINED' | 'INSUFFICIENT_FUNDS' | null;
  readonly decline_reason: string | null;
}

function outcomeOf(row: ChargeRow): ChargeOutcome {
  return row.status === 'succeeded'
    ? { status: 'succeeded', reference: row.reference }
    : { status: 'declined', code: row.decline_code ?? 'DECLINED', reason: row.decline_reason ?? 'declined' };
}

/** What a fresh charge of `token` comes to: the test tokens' answers; a token it does not know is declined, as a provider's test mode refuses it. */
function decideCharge(token: string): ChargeOutcome {
  if (token === SANDBOX_TOKENS.succeeds) return { status: 'succeeded', reference: `sandbox_ch_${randomUUID()}` };
  return DECLINES[token] ?? { status: 'declined', code: 'DECLINED', reason: `the sandbox knows no payment method ${token}` };
}

/**
 * A payment provider's test mode on the payment database: the test tokens answer as Stripe's do,
 * `pm_sandbox_timeout` never answers (the call ends only when its signal aborts), every call waits
 * `latencyMs` and fails transiently at `errorRate`. Answers are kept under their idempotency keys, so
 * a key asked again (a retry, a restart) gets the first answer and never a second charge or refund.
 */
export function sandboxGateway({ db, latencyMs = 0, errorRate = 0, random = Math.random }: SandboxOptions): PaymentGateway {
  async function arrive(signal: AbortSignal): Promise<void> {
    if (latencyMs > 0) await sleep(latencyMs, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) throw new GatewayUnavailableError('the sandbox did not answer in time');
    if (random() < errorRate) throw new GatewayUnavailableError('the sandbox answered 503 (a simulated transient error)');
  }

  return {
    name: 'sandbox',
    async charge({ idempotencyKey, amount, token }: ChargeRequest, signal: AbortSignal) {
      await arrive(signal);
      const known = await db.query<ChargeRow>('select reference, status, decline_code, decline_reason from payment_sandbox_charges where idempotency_key = $1', [idempotencyKey]);
      const first = known.rows[0];
      if (first !== undefined) return outcomeOf(first);
      if (token === SANDBOX_TOKENS.neverAnswers) {
        if (!signal.aborted) {
          await new Promise((resolve) => {
            signal.addEventListener('abort', resolve, { once: true });
          });
        }
        throw new GatewayUnavailableError('the sandbox did not answer in time');
      }
      const outcome = decideCharge(token);
      // Two calls with one key at once: the first insert wins, and both answer what it stored.
      const { rows } = await db.query<ChargeRow>(
        `with inserted as (
           insert into payment_sandbox_charges (idempotency_key, reference, status, decline_code, decline_reason, amount_minor, currency, token)
           values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (idempotency_key) do nothing
           returning reference, status, decline_code, decline_reason
         )
         select * from inserted
         union all
         select reference, status, decline_code, decline_reason from payment_sandbox_charges where idempotency_key = $1 and not exists (select 1 from inserted)`,
        [
          idempotencyKey,
          outcome.status === 'succeeded' ? outcome.reference : `sandbox_ch_${randomUUID()}`,
          outcome.status,
          outcome.status === 'declined' ? outcome.code : null,
          outcome.status === 'declined' ? outcome.reason : null,
          amount.amountMinor,
          amount.currency,
          token,
        ],
      );
      const stored = rows[0];
      if (stored === undefined) throw new GatewayUnavailableError('the sandbox lost a charge it was recording');
      return outcomeOf(stored);
    },

    async refund({ idempotencyKey, chargeReference, amount }: RefundRequest, signal: AbortSignal): Promise<RefundOutcome> {
      await arrive(signal);
      const known = await db.query<{ reference: string }>(
        'select reference from payment_sandbox_refunds where idempotency_key = $1 or charge_reference = $2 order by idempotency_key = $1 desc limit 1',
        [idempotencyKey, chargeReference],
      );
      const first = known.rows[0];
      if (first !== undefined) return { reference: first.reference };
      const charge = await db.query<{ status: string }>('select status from payment_sandbox_charges where reference = $1', [chargeReference]);
      if (charge.rows[0]?.status !== 'succeeded') throw new SandboxRefundRefused(`the sandbox has no succeeded charge ${chargeReference} to refund`);
      const { rows } = await db.query<{ reference: string }>(
        `with inserted as (
           insert into payment_sandbox_refunds (idempotency_key, charge_reference, reference, amount_minor, currency)
           values ($1, $2, $3, $4, $5) on conflict do nothing returning reference
         )
         select reference from inserted
         union all
         select reference from payment_sandbox_refunds where charge_reference = $2 and not exists (select 1 from inserted)`,
        [idempotencyKey, chargeReference, `sandbox_re_${randomUUID()}`, amount.amountMinor, amount.currency],
      );
      const stored = rows[0];
      if (stored === undefined) throw new GatewayUnavailableError('the sandbox lost a refund it was recording');
      return { reference: stored.reference };
    },
  };
}
