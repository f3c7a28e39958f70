import type {
  InventoryReserved,
  OrderCancellationReason,
  PaymentCompleted,
  PaymentFailed,
  PaymentRefunded,
  StockReleased,
  StockReleaseRequested,
} from '@msa/contracts';
import type { OrderCommand } from './order-decider.js';
import type { Cancellation } from './order.js';

/**
 * Where the saga of one order stands. AWAITING_RESERVATION and AWAITING_PAYMENT carry a deadline;
 * RELEASING waits for inventory's StockReleased before the order is cancelled; COMPLETED and
 * CANCELLED only answer late or duplicate messages.
 */
export type SagaPhase = 'AWAITING_RESERVATION' | 'AWAITING_PAYMENT' | 'COMPLETED' | 'RELEASING' | 'CANCELLED';

/** What the saga waits for, until when. */
export interface Deadline {
  readonly awaiting: 'RESERVATION' | 'PAYMENT';
  /** ISO-8601 UTC. */
  readonly at: string;
}

/** A refund the saga asked for, and whether payment has answered it. */
export interface RequestedRefund {
  readonly paymentId: string;
  readonly status: 'REQUESTED' | 'REFUNDED';
}

/** The saga's state, persisted beside the order's events and updated in the same transaction. */
export interface SagaState {
  readonly orderId: string;
  readonly phase: SagaPhase;
  readonly deadline?: Deadline | undefined;
  /** Set once the saga decided to cancel (RELEASING, CANCELLED). */
  readonly cancellation?: Cancellation | undefined;
  /** The charge that completed the order. */
  readonly paymentId?: string | undefined;
  readonly refunds: readonly RequestedRefund[];
}

/** What the saga reacts to: the consumed outcomes, its deadline, and a customer's cancellation. */
export type SagaInput =
  | Pick<InventoryReserved, 'eventType' | 'payload'>
  | Pick<StockReleased, 'eventType' | 'payload'>
  | Pick<PaymentCompleted, 'eventType' | 'payload'>
  | Pick<PaymentFailed, 'eventType' | 'payload'>
  | Pick<PaymentRefunded, 'eventType' | 'payload'>
  | { readonly eventType: 'DeadlinePassed' }
  | { readonly eventType: 'CancelRequested' };

/** The names of the steps the saga's history records. */
export type SagaStep =
  | 'ORDER_PLACED'
  | 'STOCK_RESERVED'
  | 'STOCK_SHORT'
  | 'PAYMENT_COMPLETED'
  | 'PAYMENT_FAILED'
  | 'RESERVATION_DEADLINE_PASSED'
  | 'PAYMENT_DEADLINE_PASSED'
  | 'CANCEL_REQUESTED'
  | 'STOCK_RELEASED'
  | 'LATE_RESERVATION'
  | 'LATE_PAYMENT'
  | 'PAYMENT_REFUNDED';

/**
 * What the saga does about an input: nothing (a duplicate, an answer it no longer waits for), a step
 * (commands on the order and the next state), or a refusal (a customer cancelling a cancelled order).
 */
export type SagaReaction =
  | { readonly type: 'none'; readonly why: string }
  | { readonly type: 'step'; readonly step: SagaStep; readonly commands: readonly OrderCommand[]; readonly next: SagaState }
  | { readonly type: 'refuse'; readonly why: string };

/** How long the saga waits for each answer, in ms. */
export interface SagaTimeouts {
  readonly reservationMs: number;
  readonly paymentMs: number;
}

/** What the saga is told besides the input and its state. */
export interface SagaContext {
  readonly now: Date;
  readonly timeouts: SagaTimeouts;
}

const deadline = (awaiting: Deadline['awaiting'], now: Date, ms: number): Deadline => ({ awaiting, at: new Date(now.getTime() + ms).toISOString() });

/** The saga of a just-placed order: awaiting its reservation until the reservation deadline. */
export function startSaga(orderId: string, { now, timeouts }: SagaContext): SagaState {
  return { orderId, phase: 'AWAITING_RESERVATION', deadline: deadline('RESERVATION', now, timeouts.reservationMs), refunds: [] };
}

type ReleaseReason = StockReleaseRequested['payload']['reason'];

/** The release a cancellation asks for, or asks for again when a reservation turns up late. */
function releaseReasonOf(reason: OrderCancellationReason): ReleaseReason {
  switch (reason) {
    case 'PAYMENT_FAILED':
      return 'PAYMENT_FAILED';
    case 'RESERVATION_TIMEOUT':
    case 'PAYMENT_TIMEOUT':
      return 'DEADLINE_PASSED';
    case 'CUSTOMER_REQUEST':
    case 'INSUFFICIENT_STOCK':
      return 'ORDER_CANCELLED';
    default:
      return assertNever(reason);
  }
}

const none = (why: string): SagaReaction => ({ type: 'none', why });

/** Asks for the release, then waits for it before cancelling with `cancellation`. */
function release(state: SagaState, step: SagaStep, cancellation: Cancellation, extra: readonly OrderCommand[] = []): SagaReaction {
  const { orderId } = state;
  return {
    type: 'step',
    step,
    commands: [...extra, { type: 'RequestStockRelease', data: { orderId, reason: releaseReasonOf(cancellation.reason) } }],
    next: { ...state, phase: 'RELEASING', deadline: undefined, cancellation },
  };
}

/**
 * The order saga as a pure process manager: an input and the saga's state give what to do. Every
 * answer the saga no longer waits for is either harmless (ignored) or compensated: stock reserved
 * for an order that is being or was cancelled is released again, and a charge the order does not
 * keep is refunded, once.
 */
export function reactToSaga(state: SagaState, input: SagaInput, { now, timeouts }: SagaContext): SagaReaction {
  const { orderId, phase } = state;
  switch (input.eventType) {
    case 'InventoryReserved': {
      if (phase === 'AWAITING_RESERVATION') {
        if (input.payload.status === 'SUCCESS') {
          return {
            type: 'step',
            step: 'STOCK_RESERVED',
            commands: [{ type: 'ConfirmOrder', data: { orderId } }],
            next: { ...state, phase: 'AWAITING_PAYMENT', deadline: deadline('PAYMENT', now, timeouts.paymentMs) },
          };
        }
        const cancellation = { reason: 'INSUFFICIENT_STOCK', detail: input.payload.reason } as const;
        return {
          type: 'step',
          step: 'STOCK_SHORT',
          commands: [{ type: 'CancelOrder', data: { orderId, ...cancellation } }],
          next: { ...state, phase: 'CANCELLED', deadline: undefined, cancellation },
        };
      }
      if (input.payload.status === 'INSUFFICIENT_STOCK') return none('a refused reservation holds nothing');
      if ((phase === 'RELEASING' || phase === 'CANCELLED') && state.cancellation !== undefined) {
        const reason = releaseReasonOf(state.cancellation.reason);
        return { type: 'step', step: 'LATE_RESERVATION', commands: [{ type: 'RequestStockRelease', data: { orderId, reason } }], next: state };
      }
      return none('the reservation was already answered');
    }
    case 'StockReleased':
      if (phase !== 'RELEASING' || state.cancellation === undefined) return none('the saga waits for no release');
      return {
        type: 'step',
        step: 'STOCK_RELEASED',
        commands: [{ type: 'CancelOrder', data: { orderId, ...state.cancellation } }],
        next: { ...state, phase: 'CANCELLED' },
      };
    case 'PaymentCompleted': {
      const { paymentId } = input.payload;
      if (phase === 'AWAITING_PAYMENT') {
        return {
          type: 'step',
          step: 'PAYMENT_COMPLETED',
          commands: [{ type: 'CompleteOrder', data: { orderId, paymentId } }],
          next: { ...state, phase: 'COMPLETED', deadline: undefined, paymentId },
        };
      }
      if (paymentId === state.paymentId || state.refunds.some((refund) => refund.paymentId === paymentId)) return none('the charge was already answered');
      // A charge the order does not keep: it came after the deadline or the cancellation, or was never asked for.
      return {
        type: 'step',
        step: 'LATE_PAYMENT',
        commands: [{ type: 'RequestRefund', data: { orderId, paymentId, reason: 'LATE_PAYMENT' } }],
        next: { ...state, refunds: [...state.refunds, { paymentId, status: 'REQUESTED' }] },
      };
    }
    case 'PaymentFailed':
      if (phase !== 'AWAITING_PAYMENT') return none('the saga waits for no payment');
      return release(state, 'PAYMENT_FAILED', { reason: 'PAYMENT_FAILED', detail: input.payload.reason });
    case 'PaymentRefunded': {
      const { paymentId } = input.payload;
      if (!state.refunds.some((refund) => refund.paymentId === paymentId && refund.status === 'REQUESTED')) return none('the saga waits for no such refund');
      const refunds = state.refunds.map((refund) => (refund.paymentId === paymentId ? { paymentId, status: 'REFUNDED' as const } : refund));
      return { type: 'step', step: 'PAYMENT_REFUNDED', commands: [], next: { ...state, refunds } };
    }
    case 'DeadlinePassed': {
      if (state.deadline === undefined || new Date(state.deadline.at) > now) return none('no deadline has passed');
      return state.deadline.awaiting === 'RESERVATION'
        ? release(state, 'RESERVATION_DEADLINE_PASSED', { reason: 'RESERVATION_TIMEOUT', detail: 'no stock reservation arrived in time' })
        : release(state, 'PAYMENT_DEADLINE_PASSED', { reason: 'PAYMENT_TIMEOUT', detail: 'no payment outcome arrived in time' });
    }
    case 'CancelRequested':
      return cancelRequested(state);
    default:
      return assertNever(input);
  }
}

/** Before payment the stock is released; after it the charge is refunded and the sold stock returned. */
function cancelRequested(state: SagaState): SagaReaction {
  const cancellation = { reason: 'CUSTOMER_REQUEST' } as const;
  switch (state.phase) {
    case 'AWAITING_RESERVATION':
    case 'AWAITING_PAYMENT':
      return release(state, 'CANCEL_REQUESTED', cancellation);
    case 'COMPLETED': {
      const { orderId, paymentId } = state;
      if (paymentId === undefined) return release(state, 'CANCEL_REQUESTED', cancellation);
      const refund: OrderCommand = { type: 'RequestRefund', data: { orderId, paymentId, reason: 'ORDER_CANCELLED' } };
      return release({ ...state, refunds: [...state.refunds, { paymentId, status: 'REQUESTED' }] }, 'CANCEL_REQUESTED', cancellation, [refund]);
    }
    case 'RELEASING':
      return none('the order is already being cancelled');
    case 'CANCELLED':
      return { type: 'refuse', why: 'the order is already cancelled' };
    default:
      return assertNever(state.phase);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled saga input ${JSON.stringify(value)}`);
}
