import type { CommandHandler, EventHandlers, HandlerContext } from '@msa/platform';
import type { NotificationCommand } from '../../domain/decide.js';
import { notificationStream, type NotificationState } from '../../domain/notification.js';
import { requestsFor, type TriggerEvent, type TriggerFacts, type TriggerSettings } from '../../domain/triggers.js';
import { hasSubscription } from '../postgres/push-subscriptions.js';
import { findRecipient, recordCreated, recordUpdated } from '../postgres/recipients.js';

/** What the triggers group is built from. */
export interface TriggerHandlersDependencies {
  readonly notifications: CommandHandler<NotificationState, NotificationCommand, 'Notification'>;
  readonly settings: TriggerSettings;
}

/**
 * The `notification.triggers` handlers: profile events keep the recipients table, and each trigger
 * records its notifications through the event store in the consumer's transaction, so the outbox
 * publishes them exactly when the trigger counts as handled.
 */
export function triggerHandlers({ notifications, settings }: TriggerHandlersDependencies): EventHandlers {
  async function request(event: TriggerEvent, { tx }: HandlerContext): Promise<void> {
    // Only a receipt and a cancellation look the user up: the other triggers carry their address.
    const facts: TriggerFacts =
      event.eventType === 'PaymentCompleted' || event.eventType === 'OrderCancelled'
        ? {
            recipient: await findRecipient(tx.client, event.payload.userId),
            hasPushSubscription: await hasSubscription(tx.client, event.payload.userId),
          }
        : { hasPushSubscription: false };
    const context = { tx, correlationId: event.correlationId, causationId: event.eventId, now: new Date(event.occurredAt) };
    for (const data of requestsFor(event, facts, settings)) {
      await notifications(notificationStream(data.notificationId), { type: 'RequestNotification', data }, context);
    }
  }

  return {
    async UserCreated(event, context) {
      await recordCreated(context.tx.client, event);
      await request(event, context);
    },
    async UserUpdated(event, { tx }) {
      await recordUpdated(tx.client, event);
    },
    PasswordResetRequested: request,
    PaymentCompleted: request,
    OrderCancelled: request,
    StockDepleted: request,
  };
}
