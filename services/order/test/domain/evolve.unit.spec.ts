import { createEvent } from '@msa/contracts';
import type { EventDraft } from '@msa/platform';
import { deciderSpec } from '@msa/platform/testing';
import { orderDecider } from '../../src/domain/order-decider.js';
import type { OrderEvent, OrderState } from '../../src/domain/order.js';
import { cancelled, completed, confirmed, created, paymentId, refundRequested, releaseRequested } from './fixtures.js';

const { given } = deciderSpec(orderDecider);

let ids = 0;
const newId = () => `00000000-0000-4000-8000-${(ids += 1).toString(16).padStart(12, '0')}`;

/** The state `history` folds to, each event at its own minute, so the times can be told apart. */
function stateOf(history: readonly EventDraft<OrderEvent>[]): OrderState {
  return history.reduce((state, draft, index) => {
    const occurredAt = new Date(Date.UTC(2025, 0, 1, 0, index)).toISOString();
    const event = createEvent({ ...draft, eventId: newId(), version: index + 1, occurredAt, correlationId: 'spec', causationId: 'spec' }) as OrderEvent;
    return orderDecider.evolve(state, event);
  }, orderDecider.initialState());
}

describe('Order evolve', () => {
  it('given no events, then the order is absent', () => {
    given([]).thenState({ status: 'absent' });
  });

  it.each([
    ['created', [created], 'CREATED'],
    ['confirmed', [created, confirmed], 'CONFIRMED'],
    ['completed', [created, confirmed, completed], 'COMPLETED'],
    ['cancelled after a release', [created, confirmed, releaseRequested, cancelled()], 'CANCELLED'],
  ] as const)('given a %s history, then the status follows it', (_, history, status) => {
    const state = stateOf(history);

    expect(state.status === 'placed' && state.order.status).toBe(status);
  });

  it('given a completed order cancelled with a refund, then the charge, the cancellation, the refund and both times are kept', () => {
    const state = stateOf([created, confirmed, completed, refundRequested(), releaseRequested, cancelled()]);

    expect(state.status === 'placed' && state.order).toMatchObject({
      status: 'CANCELLED',
      paymentId,
      cancellation: { reason: 'CUSTOMER_REQUEST' },
      refundsRequested: [paymentId],
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:05:00.000Z',
    });
  });

  it('given events of an order that was never created, then it stays absent', () => {
    expect(stateOf([confirmed, cancelled()])).toEqual({ status: 'absent' });
  });
});
