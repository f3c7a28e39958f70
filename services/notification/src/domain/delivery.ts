import { createHash } from 'node:crypto';
import type { NotificationRequested } from '@msa/contracts';
import type { PushSubscription } from '../ports.js';

/** One message to one address, as the dispatcher's ledger keeps it until it is sent or given up. */
export interface DeliveryRequest {
  /** `<trigger event id>:<channel>[:<recipient>]`: the same for every attempt, unique in the ledger. */
  readonly idempotencyKey: string;
  readonly notificationId: string;
  readonly channel: NotificationRequested['payload']['channel'];
  /** The email address, the phone number or the push endpoint. */
  readonly recipient: string;
  /** The email's subject or the push message's title; none for an SMS. */
  readonly heading?: string;
  /** The subscription's keys, for a push delivery. */
  readonly pushKeys?: PushSubscription['keys'];
  readonly template: string;
  readonly data: Readonly<Record<string, string>>;
}

/**
 * The deliveries a requested notification needs: one for an email or an SMS, one per subscription
 * for a push (none when the user has none left). The trigger is the request's cause, so the keys are
 * the same however often the request or its trigger is delivered. A message to a user's own address
 * is keyed by trigger and channel alone, as the channel ports describe; an operator alert, one per
 * admin address, and a push, one per browser, add the recipient.
 */
export function deliveriesFor(requested: NotificationRequested, subscriptions: readonly PushSubscription[]): DeliveryRequest[] {
  const { payload, causationId: trigger } = requested;
  const { notificationId, template, templateData: data } = payload;
  switch (payload.channel) {
    case 'email': {
      const key = payload.userId === undefined ? `${trigger}:email:${payload.to}` : `${trigger}:email`;
      return [{ idempotencyKey: key, notificationId, channel: 'email', recipient: payload.to, heading: payload.subject, template, data }];
    }
    case 'sms':
      return [{ idempotencyKey: `${trigger}:sms`, notificationId, channel: 'sms', recipient: payload.to, template, data }];
    case 'push':
      return subscriptions.map(({ endpoint, keys }) => ({
        idempotencyKey: `${trigger}:push:${endpointTag(endpoint)}`,
        notificationId,
        channel: 'push',
        recipient: endpoint,
        heading: payload.title,
        pushKeys: keys,
        template,
        data,
      }));
    default:
      return assertNever(payload);
  }
}

/** A short stand-in for a long endpoint URL inside a key. */
function endpointTag(endpoint: string): string {
  return createHash('sha256').update(endpoint).digest('base64url').slice(0, 16);
}

function assertNever(value: never): never {
  throw new Error(`unhandled channel ${JSON.stringify(value)}`);
}
