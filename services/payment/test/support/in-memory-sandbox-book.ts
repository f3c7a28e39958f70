import type { SandboxBook, SandboxCharge, SandboxRefund } from '../../src/adapters/gateway/sandbox.js';
import type { ChargeOutcome } from '../../src/gateway.js';

/** The sandbox's books in memory, with what they hold open to a spec. */
export interface InMemorySandboxBook extends SandboxBook {
  readonly charges: Map<string, SandboxCharge>;
  readonly refunds: Map<string, SandboxRefund>;
}

/** Books that keep the first answer per key, as the PostgreSQL ones do. */
export function inMemorySandboxBook(): InMemorySandboxBook {
  const charges = new Map<string, SandboxCharge>();
  const refunds = new Map<string, SandboxRefund>();
  const byReference = (reference: string): SandboxCharge | undefined => [...charges.values()].find((charge) => charge.reference === reference);
  return {
    charges,
    refunds,
    charge: (key) => Promise.resolve(charges.get(key)?.outcome),
    recordCharge(charge): Promise<ChargeOutcome> {
      if (!charges.has(charge.idempotencyKey)) charges.set(charge.idempotencyKey, charge);
      return Promise.resolve((charges.get(charge.idempotencyKey) ?? charge).outcome);
    },
    chargeByReference: (reference) => Promise.resolve(byReference(reference)?.outcome),
    refundOf: (chargeReference) => Promise.resolve(refunds.get(chargeReference)?.reference),
    recordRefund(refund) {
      if (!refunds.has(refund.chargeReference)) refunds.set(refund.chargeReference, refund);
      return Promise.resolve((refunds.get(refund.chargeReference) ?? refund).reference);
    },
  };
}
