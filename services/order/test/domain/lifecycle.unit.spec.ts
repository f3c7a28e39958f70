import { deciderSpec } from '@msa/platform/testing';
import { OrderStatusConflict } from '../../src/domain/errors.js';
import { orderDecider } from '../../src/domain/order-decider.js';
import { cancelled, completed, confirmed, created, orderId, otherPaymentId, paymentId, payment, refundRequested, releaseRequested, userId } from './fixtures.js';

const { given } = deciderSpec(orderDecider);
const confirm = { type: 'ConfirmOrder', data: { orderId } } as const;
const complete = { type: 'CompleteOrder', data: { orderId, paymentId } } as const;
const cancel = { type: 'CancelOrder', data: { orderId, reason: 'PAYMENT_FAILED', detail: 'The card was declined.' } } as const;
const refund = (reason: 'ORDER_CANCELLED' | 'LATE_PAYMENT', id = paymentId) => ({ type: 'RequestRefund', data: { orderId, paymentId: id, reason } }) as const;

describe('An order’s lifecycle', () => {
  describe('confirming', () => {
    it('given a created order, when confirmed, then OrderConfirmed carries the total and the payment', () => {
      given([created]).when(confirm).then([confirmed]);
    });

    it.each([
      ['confirmed', [created, confirmed]],
      ['completed', [created, confirmed, completed]],
      ['cancelled', [created, cancelled()]],
    ] as const)('given a %s order, when confirmed, then OrderStatusConflict', (_, history) => {
      given(history).when(confirm).thenThrows(OrderStatusConflict, { orderId, action: 'confirmed' });
    });
  });

  describe('completing', () => {
    it('given a confirmed order, when completed by a charge, then OrderCompleted names the charge', () => {
      given([created, confirmed]).when(complete).then([completed]);
    });

    it.each([
      ['created', [created]],
      ['cancelled', [created, confirmed, cancelled()]],
    ] as const)('given a %s order, when completed, then OrderStatusConflict', (_, history) => {
      given(history).when(complete).thenThrows(OrderStatusConflict, { action: 'completed' });
    });
  });

  describe('cancelling', () => {
    it.each([
      ['created', [created]],
      ['confirmed', [created, confirmed]],
      ['completed', [created, confirmed, completed]],
    ] as const)('given a %s order, when cancelled, then OrderCancelled with the reason and the detail', (_, history) => {
      given(history)
        .when(cancel)
        .then([{ eventType: 'OrderCancelled', payload: { orderId, userId, reason: 'PAYMENT_FAILED', detail: 'The card was declined.' } }]);
    });

    it('given a cancelled order, when cancelled again, then OrderStatusConflict', () => {
      given([created, cancelled()]).when(cancel).thenThrows(OrderStatusConflict, { status: 'CANCELLED', action: 'cancelled' });
    });
  });

  describe('requesting a release', () => {
    it('given any placed order, when a release is requested, then StockReleaseRequested, as often as asked', () => {
      given([created, releaseRequested, cancelled()])
        .when({ type: 'RequestStockRelease', data: { orderId, reason: 'ORDER_CANCELLED' } })
        .then([releaseRequested]);
    });
  });

  describe('requesting a refund', () => {
    it('given an order completed by a charge, when a customer’s refund is requested, then RefundRequested for that charge', () => {
      given([created, confirmed, completed]).when(refund('ORDER_CANCELLED')).then([refundRequested()]);
    });

    it('given a charge already refunded, when its refund is requested again, then nothing is recorded', () => {
      given([created, confirmed, completed, refundRequested()]).when(refund('ORDER_CANCELLED')).then([]);
    });

    it('given an order not completed, when a customer’s refund is requested, then OrderStatusConflict', () => {
      given([created, confirmed]).when(refund('ORDER_CANCELLED')).thenThrows(OrderStatusConflict);
    });

    it('given a cancelled order, when a late charge’s refund is requested, then RefundRequested LATE_PAYMENT', () => {
      given([created, confirmed, cancelled('PAYMENT_TIMEOUT')]).when(refund('LATE_PAYMENT')).then([refundRequested(paymentId, 'LATE_PAYMENT')]);
    });

    it('given an order completed by one charge, when another charge is refunded as late, then RefundRequested for the other', () => {
      given([created, confirmed, completed]).when(refund('LATE_PAYMENT', otherPaymentId)).then([refundRequested(otherPaymentId, 'LATE_PAYMENT')]);
    });

    it('given an order completed by a charge, when that charge is refunded as late, then OrderStatusConflict', () => {
      given([created, confirmed, completed]).when(refund('LATE_PAYMENT')).thenThrows(OrderStatusConflict);
    });
  });

  it('given a created order, when its history is folded, then the state holds the order as placed', () => {
    given([created]).thenState({
      status: 'placed',
      order: {
        orderId,
        userId,
        items: created.eventType === 'OrderCreated' ? created.payload.items : [],
        total: { amountMinor: 10_480, currency: 'EUR' },
        payment,
        status: 'CREATED',
        refundsRequested: [],
        createdAt: '2025-01-01T00:00:00.000Z',
        updatedAt: '2025-01-01T00:00:00.000Z',
      },
    });
  });
});
