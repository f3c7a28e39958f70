import type { EventHandlers, HandlerContext } from '@msa/platform';
import type { SagaInput } from '../../domain/saga.js';
import type { SagaShell } from '../saga/saga-shell.js';

type SagaEvent = SagaInput & { readonly eventId: string; readonly payload: { readonly orderId: string } };

/**
 * The `order.saga` handlers: every reservation, release, payment and refund outcome goes to the
 * process manager in the consumer's transaction, so the inbox records the event as handled exactly
 * when the saga's step and the order events it caused commit.
 */
export function sagaHandlers(shell: SagaShell): EventHandlers {
  async function react(event: SagaEvent, { tx, log }: HandlerContext): Promise<void> {
    const { orderId } = event.payload;
    // The order's own correlation id, whatever the outcome carries: the saga is the order's flow.
    const reaction = await shell.react(tx, orderId, event, { eventId: event.eventId, causationId: event.eventId });
    if (reaction === undefined) log.warn({ orderId, eventType: event.eventType }, 'an outcome for an order this service did not place is ignored');
    else if (reaction.type === 'step') log.info({ orderId, step: reaction.step }, 'order saga stepped');
    else log.debug({ orderId, eventType: event.eventType, why: reaction.why }, 'order saga left the outcome unanswered');
  }

  return { InventoryReserved: react, StockReleased: react, PaymentCompleted: react, PaymentFailed: react, PaymentRefunded: react };
}
