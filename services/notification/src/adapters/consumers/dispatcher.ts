import type { EventHandlers } from '@msa/platform';
import { deliveriesFor } from '../../domain/delivery.js';
import { recordRequested } from '../postgres/ledger.js';
import { subscriptionsOf } from '../postgres/push-subscriptions.js';

/** What the dispatcher group is built from. */
export interface DispatcherHandlersDependencies {
  /** Called once a transaction that recorded new deliveries has committed. */
  readonly delivered: () => void;
}

/**
 * The `notification.dispatcher` handler: it only records the request's deliveries in the ledger, in
 * the inbox's transaction, and commits at once; the sender sends them. A push goes to the
 * subscriptions the user has at this moment.
 */
export function dispatcherHandlers({ delivered }: DispatcherHandlersDependencies): EventHandlers {
  return {
    async NotificationRequested(event, { tx, log }) {
      const { payload } = event;
      const subscriptions = payload.channel === 'push' && payload.userId !== undefined ? await subscriptionsOf(tx.client, payload.userId) : [];
      const inserted = await recordRequested(tx.client, event, deliveriesFor(event, subscriptions));
      log.debug({ notificationId: payload.notificationId, channel: payload.channel, template: payload.template, inserted }, 'deliveries recorded');
      if (inserted > 0) tx.afterCommit(delivered);
    },
  };
}
