import { createEvent } from '@msa/contracts';
import type { PaymentDocument } from '../../../src/adapters/mongo/payment-read-model.js';
import { paymentReadModel } from '../../../src/adapters/mongo/payment-read-model.js';
import type { PaymentEvent } from '../../../src/domain/payment.js';
import { completed, declined, initiated, paymentId, refunded } from '../../domain/fixtures.js';

type Draft = typeof initiated | typeof completed | typeof declined | typeof refunded;

/** `draft` as the store hands it back, as of 09:`minute`. */
function stored(draft: Draft, version: number, minute: number): PaymentEvent {
  return createEvent({
    ...draft,
    eventId: `00000000-0000-4000-8000-00000000000${version}`,
    version,
    occurredAt: `2026-03-01T09:0${minute}:00.000Z`,
    correlationId: 'c',
    causationId: 'c',
  });
}

/** The document after each of `events`, as the platform stamps `_id` and `version`. */
function project(events: readonly PaymentEvent[]): PaymentDocument | undefined {
  return events.reduce<PaymentDocument | undefined>((document, event) => {
    const next = paymentReadModel.evolve(document, event);
    return next === undefined ? undefined : { ...next, _id: paymentId, version: event.version };
  }, undefined);
}

describe('Payments read model', () => {
  it('given an initiation, then an INITIATED payment with its order, owner, amount and method', () => {
    expect(project([stored(initiated, 1, 0)])).toEqual({
      _id: paymentId,
      version: 1,
      orderId: initiated.payload.orderId,
      userId: initiated.payload.userId,
      status: 'INITIATED',
      amount: initiated.payload.amount,
      method: 'CARD',
      createdAt: new Date('2026-03-01T09:00:00.000Z'),
      updatedAt: new Date('2026-03-01T09:00:00.000Z'),
    });
  });

  it('given a completion then a refund, then REFUNDED with both references and when it was refunded', () => {
    expect(project([stored(initiated, 1, 0), stored(completed, 2, 1), stored(refunded, 3, 5)])).toMatchObject({
      status: 'REFUNDED',
      gatewayReference: 'sandbox_ch_1',
      refund: { reference: 'sandbox_re_1', at: new Date('2026-03-01T09:05:00.000Z') },
      createdAt: new Date('2026-03-01T09:00:00.000Z'),
      updatedAt: new Date('2026-03-01T09:05:00.000Z'),
    });
  });

  it('given a decline, then FAILED with its code and reason, and no reference', () => {
    const document = project([stored(initiated, 1, 0), stored(declined, 2, 1)]);

    expect(document).toMatchObject({ status: 'FAILED', failure: { code: 'DECLINED', reason: 'Your card was declined.' } });
    expect(document?.gatewayReference).toBeUndefined();
  });

  it('given an outcome before any initiation, then no document (a gap the platform fills from the store)', () => {
    expect(paymentReadModel.evolve(undefined, stored(completed, 2, 1))).toBeUndefined();
  });
});
