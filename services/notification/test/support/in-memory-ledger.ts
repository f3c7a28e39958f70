import type { DeliveryRequest } from '../../src/domain/delivery.js';
import type { DeliveryStep } from '../../src/domain/delivery-policy.js';
import type { ClaimedDelivery, DeliveryLedger } from '../../src/adapters/postgres/ledger.js';

/** One delivery as the in-memory ledger keeps it. */
export interface LedgerRow {
  readonly request: DeliveryRequest;
  state: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  dueAt: number;
  claimId?: string | undefined;
  leaseEndsAt?: number | undefined;
  lastError?: string | undefined;
  providerId?: string | undefined;
}

/** The ledger's rules (due rows, leases, claims) in a map, on a clock the spec moves. */
export interface InMemoryLedger extends DeliveryLedger {
  readonly rows: Map<string, LedgerRow>;
  add(request: DeliveryRequest): void;
  /** Moves the ledger's clock on. */
  advance(ms: number): void;
}

export function inMemoryLedger(): InMemoryLedger {
  const rows = new Map<string, LedgerRow>();
  let now = 0;
  let claims = 0;
  return {
    rows,
    add(request) {
      rows.set(request.idempotencyKey, { request, state: 'pending', attempts: 0, dueAt: now });
    },
    advance(ms) {
      now += ms;
    },
    claimDue(limit, leaseMs) {
      claims += 1;
      const claimId = `claim-${claims}`;
      const due = [...rows.values()]
        .filter((row) => (row.state === 'pending' && row.dueAt <= now) || (row.state === 'sending' && (row.leaseEndsAt ?? 0) <= now))
        .slice(0, limit);
      return Promise.resolve(
        due.map((row): ClaimedDelivery => {
          Object.assign(row, { state: 'sending', attempts: row.attempts + 1, claimId, leaseEndsAt: now + leaseMs });
          return { ...row.request, claimId, attempt: row.attempts };
        }),
      );
    },
    record(delivery, step: DeliveryStep) {
      const row = rows.get(delivery.idempotencyKey);
      if (row?.state !== 'sending' || row.claimId !== delivery.claimId) return Promise.resolve(false);
      row.claimId = undefined;
      row.state = step.state;
      if (step.state === 'sent') row.providerId = step.providerId;
      else row.lastError = step.lastError;
      if (step.state === 'pending') row.dueAt = now + step.delayMs;
      return Promise.resolve(true);
    },
  };
}
