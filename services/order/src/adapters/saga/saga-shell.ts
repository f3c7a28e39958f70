import { activeTraceId, type CommandHandler, type Transaction } from '@msa/platform';
import type { OrderCommand } from '../../domain/order-decider.js';
import { orderStream, type OrderState } from '../../domain/order.js';
import { reactToSaga, type SagaInput, type SagaReaction, type SagaTimeouts } from '../../domain/saga.js';
import { lockSaga, saveSaga } from '../postgres/sagas.js';
import type { SagaMetrics } from './metrics.js';

/** Where an input to the saga comes from: the consumed event, or a deadline or a request without one. */
export interface SagaInputSource {
  /** The consumed event's id, the first of the step's event ids. */
  readonly eventId?: string | undefined;
  /** @default the order's own correlation id */
  readonly correlationId?: string | undefined;
  /** The id the appended events name as their cause. */
  readonly causationId: string;
}

/** Runs the process manager's reactions: what `reactToSaga` decides, done on the order and the saga row. */
export interface SagaShell {
  /**
   * Locks the order's saga, asks the process manager, and in `tx` appends the order events its
   * commands cause and saves the next state with the step. `undefined` when the order has no saga
   * (not an order of this service).
   */
  react(tx: Transaction, orderId: string, input: SagaInput, source: SagaInputSource): Promise<SagaReaction | undefined>;
}

/** Options for `createSagaShell`. */
export interface SagaShellOptions {
  readonly orders: CommandHandler<OrderState, OrderCommand, 'Order'>;
  readonly timeouts: SagaTimeouts;
  readonly clock: () => Date;
  readonly metrics: SagaMetrics;
}

/**
 * The shell around the pure process manager. Everything it writes goes on the caller's transaction
 * (the consumer handler's, the deadline worker's, the cancel request's), so the saga's state, its
 * step and the order events it causes commit together or not at all.
 */
export function createSagaShell({ orders, timeouts, clock, metrics }: SagaShellOptions): SagaShell {
  return {
    async react(tx, orderId, input, { eventId, correlationId, causationId }) {
      const saga = await lockSaga(tx.client, orderId);
      if (saga === undefined) return undefined;
      const now = clock();
      const reaction = reactToSaga(saga.state, input, { now, timeouts });
      if (reaction.type !== 'step') return reaction;
      const context = { tx, correlationId: correlationId ?? saga.correlationId, causationId, now };
      const appended: string[] = [];
      for (const command of reaction.commands) {
        const { events } = await orders(orderStream(orderId), command, context);
        appended.push(...events.map((event) => event.eventId));
      }
      const traceId = activeTraceId();
      await saveSaga(tx.client, reaction.next, {
        step: reaction.step,
        at: now.toISOString(),
        eventIds: [...(eventId === undefined ? [] : [eventId]), ...appended],
        ...(traceId === undefined ? {} : { traceId }),
      });
      tx.afterCommit(() => {
        metrics.stepped(reaction.step, saga.state.phase, reaction.next);
      });
      return reaction;
    },
  };
}
