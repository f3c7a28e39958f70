import { type CommandHandler, withTransaction } from '@msa/platform';
import type pg from 'pg';
import type { PaymentCommand } from '../../domain/decide.js';
import { paymentStream, type PaymentState } from '../../domain/payment.js';
import type { ChargeOutcome, RefundOutcome } from '../../gateway.js';
import { type ClaimedJob, finishJob } from '../postgres/jobs.js';

/** A definite answer of the gateway to a job's call. */
export type GatewayAnswer = { readonly kind: 'charge'; readonly outcome: ChargeOutcome } | { readonly kind: 'refund'; readonly outcome: RefundOutcome };

/** Records a definite answer: the outcome's event and the job's end. */
export type RecordOutcome = (job: ClaimedJob, answer: GatewayAnswer, now: Date) => Promise<void>;

function commandFor(job: ClaimedJob, answer: GatewayAnswer): PaymentCommand {
  const { paymentId } = job;
  if (answer.kind === 'refund') return { type: 'RefundPayment', data: { paymentId, refundReference: answer.outcome.reference } };
  const { outcome } = answer;
  return outcome.status === 'succeeded'
    ? { type: 'CompletePayment', data: { paymentId, gatewayReference: outcome.reference } }
    : { type: 'FailPayment', data: { paymentId, code: outcome.code, reason: outcome.reason } };
}

/**
 * Appends the answer's event through the event store and ends the job in one transaction, so the
 * outbox publishes the outcome exactly when the job counts as done. A crash before the commit leaves
 * the job `running`; once its lease ends it is called again with the same key and gets the same
 * answer, and a repeat of a recorded outcome appends nothing.
 */
export function outcomeRecorder(pool: pg.Pool, payments: CommandHandler<PaymentState, PaymentCommand, 'Payment'>): RecordOutcome {
  return (job, answer, now) =>
    withTransaction(pool, async (tx) => {
      await payments(paymentStream(job.paymentId), commandFor(job, answer), { tx, correlationId: job.correlationId, causationId: job.causationId, now });
      await finishJob(tx.client, job);
    });
}
