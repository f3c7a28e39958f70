import type { NotificationRequested } from '@msa/contracts';

/** The Notification aggregate's one event, as the contracts define it. */
export type NotificationEvent = NotificationRequested;

/** What a notification asks for: the event's payload, one of email, SMS or push. */
export type NotificationRequest = NotificationRequested['payload'];

/** A channel a notification goes by. */
export type Channel = NotificationRequest['channel'];

/** The event stream of one notification. */
export function notificationStream(notificationId: string): string {
  return `notification-${notificationId}`;
}

/**
 * A notification is requested once and never changes afterwards: what became of its delivery is the
 * dispatcher's ledger, not a fact of the domain.
 */
export type NotificationState =
  | { readonly status: 'absent' }
  | { readonly status: 'requested'; readonly request: NotificationRequest };

/** The state of a stream with no events. */
export const initialState = (): NotificationState => ({ status: 'absent' });

/** Applies one event to the state. */
export function evolve(_state: NotificationState, event: NotificationEvent): NotificationState {
  return { status: 'requested', request: event.payload };
}
