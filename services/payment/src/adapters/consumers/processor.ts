import { type CommandHandler, type EventHandlers, type EventStore, injectTraceHeaders } from '@msa/platform';
import { type PaymentCommand, refundDecision } from '../../domain/decide.js';
import { paymentIdFor } from '../../domain/payment-id.js';
import { paymentStateOf, paymentStream, type PaymentState } from '../../domain/payment.js';
import { enqueueJob } from '../postgres/jobs.js';

/** What the `payment.processor` group is built from. */
export interface ProcessorHandlersDependencies {
  readonly payments: CommandHandler<PaymentState, PaymentCommand, 'Payment'>;
  readonly store: EventStore;
  /** Called once a transaction that queued a new gateway call has committed. */
  readonly queued: () => void;
}

/**
 * The `payment.processor` handlers. Neither calls the gateway: each records what it asks for in the
 * inbox's transaction (`PaymentInitiated` and the charge's job; the refund's job) and commits at once,
 * and the worker makes the call. So a slow gateway never holds a consumer's transaction open, and a
 * redelivery finds the payment stream and the job already there and adds nothing.
 */
export function processorHandlers({ payments, store, queued }: ProcessorHandlersDependencies): EventHandlers {
  return {
    async OrderConfirmed(event, { tx, log }) {
      const { orderId, userId, total, payment } = event.payload;
      const paymentId = paymentIdFor(orderId);
      const charge = { paymentId, orderId, userId, amount: total, method: payment.method };
      const context = { tx, correlationId: event.correlationId, causationId: event.eventId, now: new Date(event.occurredAt) };
      const { state } = await payments(paymentStream(paymentId), { type: 'InitiatePayment', data: charge }, context);
      if (state.status !== 'initiated') {
        log.info({ paymentId, orderId, status: state.status }, 'order confirmed again: its payment is settled already');
        return;
      }
      const job = {
        ...state.charge,
        kind: 'charge',
        token: payment.token,
        correlationId: event.correlationId,
        causationId: event.eventId,
        traceHeaders: injectTraceHeaders(),
      } as const;
      if (await enqueueJob(tx.client, job)) tx.afterCommit(queued);
    },

    async RefundRequested(event, { tx, log }) {
      const { orderId, paymentId, reason } = event.payload;
      const where = { paymentId, orderId, reason };
      if (paymentId !== paymentIdFor(orderId)) {
        log.warn({ ...where, expected: paymentIdFor(orderId) }, 'refund requested for a payment of another order: nothing refunded');
        return;
      }
      const decision = refundDecision(paymentStateOf((await store.readStream(paymentStream(paymentId), { tx })).events));
      if (decision.action === 'none') {
        log.info({ ...where, why: decision.why }, 'refund requested: nothing to refund');
        return;
      }
      const job = {
        ...decision.charge,
        kind: 'refund',
        chargeReference: decision.gatewayReference,
        correlationId: event.correlationId,
        causationId: event.eventId,
        traceHeaders: injectTraceHeaders(),
      } as const;
      if (await enqueueJob(tx.client, job)) tx.afterCommit(queued);
    },
  };
}
