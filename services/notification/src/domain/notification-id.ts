import { v5 as uuidv5 } from 'uuid';
import type { Channel } from './notification.js';

/** The namespace of notification ids (a fixed random UUID): ids of other kinds never collide with them. */
const NOTIFICATION_NAMESPACE = '3c1f2a8e-5d47-4b0e-9a61-7f2d9c84e513';

/**
 * The id of the notification a trigger asks for by `channel` to `recipient` (a user id, or an admin
 * address for an operator alert): a name-based UUID, so the same trigger always names the same
 * notification.
 */
export function notificationIdFor(triggerEventId: string, channel: Channel, recipient: string): string {
  return uuidv5(`${triggerEventId}:${channel}:${recipient}`, NOTIFICATION_NAMESPACE);
}
