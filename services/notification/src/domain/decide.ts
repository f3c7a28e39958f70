import type { Decider, EventDraft } from '@msa/platform';
import { evolve, initialState, type NotificationEvent, type NotificationRequest, type NotificationState } from './notification.js';

/** Requests one message on the stream of its (deterministic) notification id. */
export interface RequestNotification {
  readonly type: 'RequestNotification';
  readonly data: NotificationRequest;
}

/** What can be asked of the Notification aggregate. */
export type NotificationCommand = RequestNotification;

/**
 * A notification id is derived from its trigger, so a trigger handled twice (a redelivery after the
 * inbox row was pruned, a replay) asks again for a notification that exists: that records nothing,
 * instead of a second message.
 */
export function decide(command: NotificationCommand, state: NotificationState): EventDraft<NotificationEvent>[] {
  if (state.status === 'requested') return [];
  return [{ eventType: 'NotificationRequested', payload: command.data }];
}

/** The Notification aggregate for the platform's command handler. */
export const notificationDecider: Decider<NotificationState, NotificationCommand, 'Notification'> = {
  aggregateType: 'Notification',
  initialState,
  evolve,
  decide,
};
