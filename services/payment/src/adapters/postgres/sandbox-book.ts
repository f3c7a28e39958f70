import type { ChargeOutcome } from '../../gateway.js';
import type { SandboxBook, SandboxCharge, SandboxRefund } from '../gateway/sandbox.js';
import type { Queryable } from './queryable.js';

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

/**
 * The sandbox's books in the payment database (`payment_sandbox_charges`, `payment_sandbox_refunds`),
 * so its answers outlive a restart. Two calls with one key at once: the first insert wins, and both
 * read back what it stored.
 */
export function sandboxBookOn(db: Queryable): SandboxBook {
  return {
    async charge(idempotencyKey) {
      const { rows } = await db.query<ChargeRow>(
        'select reference, status, decline_code, decline_reason from payment_sandbox_charges where idempotency_key = $1',
        [idempotencyKey],
      );
      return rows[0] === undefined ? undefined : outcomeOf(rows[0]);
    },
    async recordCharge({ idempotencyKey, reference, outcome, amount, token }: SandboxCharge) {
      const declined = outcome.status === 'declined' ? outcome : undefined;
      await db.query(
        `insert into payment_sandbox_charges (idempotency_key, reference, status, decline_code, decline_reason, amount_minor, currency, token)
         values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (idempotency_key) do nothing`,
        [idempotencyKey, reference, outcome.status, declined?.code ?? null, declined?.reason ?? null, amount.amountMinor, amount.currency, token],
      );
      const stored = await this.charge(idempotencyKey);
      if (stored === undefined) throw new Error(`the sandbox charge ${idempotencyKey} vanished as it was recorded`);
      return stored;
    },
    async chargeByReference(reference) {
      const { rows } = await db.query<ChargeRow>('select reference, status, decline_code, decline_reason from payment_sandbox_charges where reference = $1', [reference]);
      return rows[0] === undefined ? undefined : outcomeOf(rows[0]);
    },
    async refundOf(chargeReference) {
      const { rows } = await db.query<{ reference: string }>('select reference from payment_sandbox_refunds where charge_reference = $1', [chargeReference]);
      return rows[0]?.reference;
    },
    async recordRefund({ idempotencyKey, chargeReference, reference, amount }: SandboxRefund) {
      await db.query(
        `insert into payment_sandbox_refunds (idempotency_key, charge_reference, reference, amount_minor, currency)
         values ($1, $2, $3, $4, $5) on conflict do nothing`,
        [idempotencyKey, chargeReference, reference, amount.amountMinor, amount.currency],
      );
      const stored = await this.refundOf(chargeReference);
      if (stored === undefined) throw new Error(`the sandbox refund of ${chargeReference} vanished as it was recorded`);
      return stored;
    },
  };
}
