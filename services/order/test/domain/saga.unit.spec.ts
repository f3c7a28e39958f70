import type { SagaInput, SagaState } from '../../src/domain/saga.js';
import { startSaga } from '../../src/domain/saga.js';
import { kettle, orderId, otherPaymentId, paymentId, userId } from './fixtures.js';
import { givenSaga, specNow, timeouts } from './saga-spec.js';

const amount = { amountMinor: 10_480, currency: 'EUR' } as const;
const items = [{ productId: kettle, quantity: 2 }];
const charge = { paymentId, orderId, userId, amount };

const reserved: SagaInput = { eventType: 'InventoryReserved', payload: { orderId, status: 'SUCCESS', items } };
const short: SagaInput = {
  eventType: 'InventoryReserved',
  payload: { orderId, status: 'INSUFFICIENT_STOCK', items, reason: 'kettle: 2 asked, 1 left', shortages: [{ productId: kettle, requested: 2, available: 1 }] },
};
const released: SagaInput = { eventType: 'StockReleased', payload: { orderId, items, fromSold: false } };
const paid = (id = paymentId): SagaInput => ({ eventType: 'PaymentCompleted', payload: { ...charge, paymentId: id, method: 'CARD', gatewayReference: 'ch_1' } });
const declined: SagaInput = { eventType: 'PaymentFailed', payload: { ...charge, code: 'DECLINED', reason: 'The card was declined.' } };
const refunded = (id = paymentId): SagaInput => ({
  eventType: 'PaymentRefunded',
  payload: { ...charge, paymentId: id, gatewayReference: 'ch_1', refundReference: 're_1' },
});
const deadlinePassed: SagaInput = { eventType: 'DeadlinePassed' };
const cancelRequested: SagaInput = { eventType: 'CancelRequested' };

const at = (ms: number) => new Date(specNow.getTime() + ms);
const later = at(1_000);

const awaitingReservation: SagaState = startSaga(orderId, { now: specNow, timeouts });
const awaitingPayment: SagaState = { orderId, phase: 'AWAITING_PAYMENT', deadline: { awaiting: 'PAYMENT', at: at(120_000).toISOString() }, refunds: [] };
const completed: SagaState = { orderId, phase: 'COMPLETED', paymentId, refunds: [] };
const releasing = (cancellation: SagaState['cancellation'], extra: Partial<SagaState> = {}): SagaState => ({ orderId, phase: 'RELEASING', cancellation, refunds: [], ...extra });
const cancelledSaga = (cancellation: SagaState['cancellation'], extra: Partial<SagaState> = {}): SagaState => ({ orderId, phase: 'CANCELLED', cancellation, refunds: [], ...extra });
const byCustomer = { reason: 'CUSTOMER_REQUEST' } as const;
const paymentTimeout = { reason: 'PAYMENT_TIMEOUT', detail: 'no payment outcome arrived in time' } as const;
const reservationTimeout = { reason: 'RESERVATION_TIMEOUT', detail: 'no stock reservation arrived in time' } as const;

describe('The order saga', () => {
  it('given a placed order, when the saga starts, then it awaits the reservation until the reservation deadline', () => {
    expect(awaitingReservation).toStrictEqual({ orderId, phase: 'AWAITING_RESERVATION', deadline: { awaiting: 'RESERVATION', at: '2025-01-01T00:00:30.000Z' }, refunds: [] });
  });

  describe('awaiting the reservation', () => {
    it('given the reservation succeeded, then the order is confirmed and the payment deadline set from now', () => {
      givenSaga(awaitingReservation)
        .when(reserved, { now: later })
        .then({
          type: 'step',
          step: 'STOCK_RESERVED',
          commands: [{ type: 'ConfirmOrder', data: { orderId } }],
          next: { ...awaitingReservation, phase: 'AWAITING_PAYMENT', deadline: { awaiting: 'PAYMENT', at: '2025-01-01T00:02:01.000Z' } },
        });
    });

    it('given stock was short, then the order is cancelled INSUFFICIENT_STOCK at once: nothing is held, so nothing is released', () => {
      const cancellation = { reason: 'INSUFFICIENT_STOCK', detail: 'kettle: 2 asked, 1 left' } as const;
      givenSaga(awaitingReservation)
        .when(short)
        .then({
          type: 'step',
          step: 'STOCK_SHORT',
          commands: [{ type: 'CancelOrder', data: { orderId, ...cancellation } }],
          next: { ...awaitingReservation, phase: 'CANCELLED', deadline: undefined, cancellation },
        });
    });

    it('given the reservation deadline passed, then the release is asked for and the saga waits for it to cancel RESERVATION_TIMEOUT', () => {
      givenSaga(awaitingReservation)
        .when(deadlinePassed, { now: at(30_000) })
        .then({
          type: 'step',
          step: 'RESERVATION_DEADLINE_PASSED',
          commands: [{ type: 'RequestStockRelease', data: { orderId, reason: 'DEADLINE_PASSED' } }],
          next: { ...awaitingReservation, phase: 'RELEASING', deadline: undefined, cancellation: reservationTimeout },
        });
    });

    it('given a timer that fires before the deadline, then nothing happens', () => {
      givenSaga(awaitingReservation).when(deadlinePassed, { now: at(29_999) }).thenNothing('no deadline has passed');
    });

    it('given the customer cancels, then the release is asked for and the saga waits for it to cancel CUSTOMER_REQUEST', () => {
      givenSaga(awaitingReservation)
        .when(cancelRequested)
        .then({
          type: 'step',
          step: 'CANCEL_REQUESTED',
          commands: [{ type: 'RequestStockRelease', data: { orderId, reason: 'ORDER_CANCELLED' } }],
          next: { ...awaitingReservation, phase: 'RELEASING', deadline: undefined, cancellation: byCustomer },
        });
    });

    it('given a release nobody asked for, then it is ignored', () => {
      givenSaga(awaitingReservation).when(released).thenNothing('the saga waits for no release');
    });

    it('given a payment outcome out of order (a failure), then it is ignored: the saga asked for no payment yet', () => {
      givenSaga(awaitingReservation).when(declined).thenNothing('the saga waits for no payment');
    });

    it('given a charge out of order, then it is refunded, since the order was never confirmed for it', () => {
      givenSaga(awaitingReservation)
        .when(paid())
        .then({
          type: 'step',
          step: 'LATE_PAYMENT',
          commands: [{ type: 'RequestRefund', data: { orderId, paymentId, reason: 'LATE_PAYMENT' } }],
          next: { ...awaitingReservation, refunds: [{ paymentId, status: 'REQUESTED' }] },
        });
    });
  });

  describe('awaiting the payment', () => {
    it('given the charge succeeded, then the order completes with it and no deadline is left', () => {
      givenSaga(awaitingPayment)
        .when(paid())
        .then({
          type: 'step',
          step: 'PAYMENT_COMPLETED',
          commands: [{ type: 'CompleteOrder', data: { orderId, paymentId } }],
          next: { ...awaitingPayment, phase: 'COMPLETED', deadline: undefined, paymentId },
        });
    });

    it('given the charge failed, then the release is asked for and the cancellation will say the gateway’s reason', () => {
      givenSaga(awaitingPayment)
        .when(declined)
        .then({
          type: 'step',
          step: 'PAYMENT_FAILED',
          commands: [{ type: 'RequestStockRelease', data: { orderId, reason: 'PAYMENT_FAILED' } }],
          next: { ...awaitingPayment, phase: 'RELEASING', deadline: undefined, cancellation: { reason: 'PAYMENT_FAILED', detail: 'The card was declined.' } },
        });
    });

    it('given the payment deadline passed, then the release is asked for and the saga waits for it to cancel PAYMENT_TIMEOUT', () => {
      givenSaga(awaitingPayment)
        .when(deadlinePassed, { now: at(120_000) })
        .then({
          type: 'step',
          step: 'PAYMENT_DEADLINE_PASSED',
          commands: [{ type: 'RequestStockRelease', data: { orderId, reason: 'DEADLINE_PASSED' } }],
          next: { ...awaitingPayment, phase: 'RELEASING', deadline: undefined, cancellation: paymentTimeout },
        });
    });

    it('given the customer cancels before a payment outcome, then the release is asked for', () => {
      givenSaga(awaitingPayment)
        .when(cancelRequested)
        .then({
          type: 'step',
          step: 'CANCEL_REQUESTED',
          commands: [{ type: 'RequestStockRelease', data: { orderId, reason: 'ORDER_CANCELLED' } }],
          next: { ...awaitingPayment, phase: 'RELEASING', deadline: undefined, cancellation: byCustomer },
        });
    });

    it.each([
      ['a duplicate reservation', reserved, 'the reservation was already answered'],
      ['a refused reservation after the success', short, 'a refused reservation holds nothing'],
      ['a release nobody asked for', released, 'the saga waits for no release'],
      ['a refund nobody asked for', refunded(), 'the saga waits for no such refund'],
    ])('given %s, then it is ignored', (_, input, why) => {
      givenSaga(awaitingPayment).when(input).thenNothing(why);
    });
  });

  describe('completed', () => {
    it('given the customer cancels, then the charge is refunded and the sold stock released; the order cancels once the release is in', () => {
      givenSaga(completed)
        .when(cancelRequested)
        .then({
          type: 'step',
          step: 'CANCEL_REQUESTED',
          commands: [
            { type: 'RequestRefund', data: { orderId, paymentId, reason: 'ORDER_CANCELLED' } },
            { type: 'RequestStockRelease', data: { orderId, reason: 'ORDER_CANCELLED' } },
          ],
          next: { ...completed, phase: 'RELEASING', deadline: undefined, cancellation: byCustomer, refunds: [{ paymentId, status: 'REQUESTED' }] },
        });
    });

    it.each([
      ['a duplicate of its charge', paid(), 'the charge was already answered'],
      ['a late failure', declined, 'the saga waits for no payment'],
      ['a deadline', deadlinePassed, 'no deadline has passed'],
      ['a duplicate reservation', reserved, 'the reservation was already answered'],
    ])('given %s, then it is ignored', (_, input, why) => {
      givenSaga(completed).when(input).thenNothing(why);
    });

    it('given a second charge, then that one is refunded as late and the order stays completed by the first', () => {
      givenSaga(completed)
        .when(paid(otherPaymentId))
        .then({
          type: 'step',
          step: 'LATE_PAYMENT',
          commands: [{ type: 'RequestRefund', data: { orderId, paymentId: otherPaymentId, reason: 'LATE_PAYMENT' } }],
          next: { ...completed, refunds: [{ paymentId: otherPaymentId, status: 'REQUESTED' }] },
        });
    });
  });

  describe('releasing', () => {
    it('given the release is in, then the order is cancelled with the reason the saga decided on', () => {
      const state = releasing(paymentTimeout);
      givenSaga(state)
        .when(released)
        .then({ type: 'step', step: 'STOCK_RELEASED', commands: [{ type: 'CancelOrder', data: { orderId, ...paymentTimeout } }], next: { ...state, phase: 'CANCELLED' } });
    });

    it('given a reservation that succeeds after the deadline, then the release is asked for again', () => {
      const state = releasing(reservationTimeout);
      givenSaga(state)
        .when(reserved)
        .then({ type: 'step', step: 'LATE_RESERVATION', commands: [{ type: 'RequestStockRelease', data: { orderId, reason: 'DEADLINE_PASSED' } }], next: state });
    });

    it('given a charge that succeeds after the payment deadline, then it is refunded as late', () => {
      const state = releasing(paymentTimeout);
      givenSaga(state)
        .when(paid())
        .then({
          type: 'step',
          step: 'LATE_PAYMENT',
          commands: [{ type: 'RequestRefund', data: { orderId, paymentId, reason: 'LATE_PAYMENT' } }],
          next: { ...state, refunds: [{ paymentId, status: 'REQUESTED' }] },
        });
    });

    it('given a completed order being cancelled, when its own charge is redelivered, then nothing: its refund is already asked for', () => {
      givenSaga(releasing(byCustomer, { paymentId, refunds: [{ paymentId, status: 'REQUESTED' }] }))
        .when(paid())
        .thenNothing('the charge was already answered');
    });

    it('given the refund it asked for arrives, then the saga records it and still waits for the release', () => {
      const state = releasing(byCustomer, { paymentId, refunds: [{ paymentId, status: 'REQUESTED' }] });
      givenSaga(state)
        .when(refunded())
        .then({ type: 'step', step: 'PAYMENT_REFUNDED', commands: [], next: { ...state, refunds: [{ paymentId, status: 'REFUNDED' }] } });
    });

    it.each([
      ['the customer cancelling again', cancelRequested, 'the order is already being cancelled'],
      ['a refused reservation', short, 'a refused reservation holds nothing'],
      ['a late failure', declined, 'the saga waits for no payment'],
      ['a stale timer', deadlinePassed, 'no deadline has passed'],
    ])('given %s, then nothing', (_, input, why) => {
      givenSaga(releasing(paymentTimeout)).when(input).thenNothing(why);
    });
  });

  describe('cancelled', () => {
    it('given a late successful reservation, then its stock is released again', () => {
      const state = cancelledSaga(byCustomer);
      givenSaga(state)
        .when(reserved)
        .then({ type: 'step', step: 'LATE_RESERVATION', commands: [{ type: 'RequestStockRelease', data: { orderId, reason: 'ORDER_CANCELLED' } }], next: state });
    });

    it('given a charge after the cancellation, then it is refunded as late, once', () => {
      const state = cancelledSaga(paymentTimeout);
      const next = { ...state, refunds: [{ paymentId, status: 'REQUESTED' as const }] };
      givenSaga(state)
        .when(paid())
        .then({ type: 'step', step: 'LATE_PAYMENT', commands: [{ type: 'RequestRefund', data: { orderId, paymentId, reason: 'LATE_PAYMENT' } }], next });
      givenSaga(next).when(paid()).thenNothing('the charge was already answered');
    });

    it('given the late charge’s refund arrives, then it is recorded; a duplicate of it is ignored', () => {
      const state = cancelledSaga(paymentTimeout, { refunds: [{ paymentId, status: 'REQUESTED' }] });
      const next = { ...state, refunds: [{ paymentId, status: 'REFUNDED' as const }] };
      givenSaga(state).when(refunded()).then({ type: 'step', step: 'PAYMENT_REFUNDED', commands: [], next });
      givenSaga(next).when(refunded()).thenNothing('the saga waits for no such refund');
    });

    it('given the customer cancels again, then the saga refuses', () => {
      givenSaga(cancelledSaga(byCustomer)).when(cancelRequested).thenRefuses();
    });

    it.each([
      ['a duplicate release', released, 'the saga waits for no release'],
      ['a late failure', declined, 'the saga waits for no payment'],
      ['a stale timer', deadlinePassed, 'no deadline has passed'],
      ['a refund of a charge it never saw', refunded(otherPaymentId), 'the saga waits for no such refund'],
    ])('given %s, then nothing', (_, input, why) => {
      givenSaga(cancelledSaga(paymentTimeout)).when(input).thenNothing(why);
    });

    it.each([
      ['PAYMENT_FAILED', 'PAYMENT_FAILED'],
      ['RESERVATION_TIMEOUT', 'DEADLINE_PASSED'],
      ['INSUFFICIENT_STOCK', 'ORDER_CANCELLED'],
    ] as const)('given an order cancelled %s, when a reservation turns up late, then the release says %s', (reason, releaseReason) => {
      const state = cancelledSaga({ reason });
      givenSaga(state)
        .when(reserved)
        .then({ type: 'step', step: 'LATE_RESERVATION', commands: [{ type: 'RequestStockRelease', data: { orderId, reason: releaseReason } }], next: state });
    });
  });
});
