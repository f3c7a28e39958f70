import { z } from 'zod';
import { defineEvent } from './envelope.js';
import { email, id, phoneNumber, text } from './fields.js';

const request = {
  notificationId: id,
  /** The user it is for; absent for a message to the operators (a low-stock alert to the admin addresses). */
  userId: id.optional(),
  /** The template to render, such as `welcome-email`. */
  template: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a kebab-case template name'),
  /** Values the template renders, already formatted as text (amounts included). */
  templateData: z.record(z.string(), z.string()),
};

/**
 * A message to a user was requested, by email, SMS or Web Push. Published to
 * `notification.<channel>.requested`. A push goes to every subscription the user registered with the
 * notification service, so it names no address. aggregateId is the notification id.
 */
export const NotificationRequested = defineEvent({
  eventType: 'NotificationRequested',
  aggregateType: 'Notification',
  schemaVersion: 1,
  payload: z.discriminatedUnion('channel', [
    z.object({ ...request, channel: z.literal('email'), to: email, subject: text(200) }),
    z.object({ ...request, channel: z.literal('sms'), to: phoneNumber }),
    z.object({ ...request, channel: z.literal('push'), title: text(200) }),
  ]),
  aggregateIdField: 'notificationId',
});

/** A message to a user was requested. */
export type NotificationRequested = z.infer<typeof NotificationRequested.schema>;
