import type { EventOf } from '@msa/contracts';
import { RecipientNotKnownYet } from './errors.js';
import { notificationIdFor } from './notification-id.js';
import type { Channel, NotificationRequest } from './notification.js';
import type { Recipient } from './recipient.js';
import { cancellationReasonWords, formatAmount, paymentMethodWords } from './wording.js';

/** The events that cause notifications. */
export type TriggerEvent = EventOf<'UserCreated' | 'PasswordResetRequested' | 'PaymentCompleted' | 'OrderCancelled' | 'StockDepleted'>;

/** What the triggers know beside the event: the user it concerns, from the recipients table. */
export interface TriggerFacts {
  /** The user's addresses; absent when the recipients table has not heard of the user. */
  readonly recipient?: Recipient | undefined;
  /** Whether the user registered a Web Push subscription. */
  readonly hasPushSubscription: boolean;
}

/** The service's settings the triggers read. */
export interface TriggerSettings {
  /** The shop's web address, without a trailing slash: reset links point into it. */
  readonly appBaseUrl: string;
  /** Who receives the operators' alerts. */
  readonly adminEmails: readonly string[];
}

const expiryFormat = new Intl.DateTimeFormat('en', {
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
});

/**
 * The notifications `event` asks for, one per channel (and per admin address for an alert), each
 * with an id derived from the event, the channel and the recipient. Pure.
 *
 * @throws RecipientNotKnownYet for a receipt or cancellation whose user the facts do not know.
 */
export function requestsFor(event: TriggerEvent, facts: TriggerFacts, settings: TriggerSettings): NotificationRequest[] {
  const idFor = (channel: Channel, recipient: string) => notificationIdFor(event.eventId, channel, recipient);
  switch (event.eventType) {
    case 'UserCreated': {
      const { userId, email, name } = event.payload;
      return [
        { channel: 'email', notificationId: idFor('email', userId), userId, to: email, subject: 'Welcome to the shop', template: 'welcome-email', templateData: { name } },
      ];
    }
    case 'PasswordResetRequested': {
      const { userId, email, name, resetToken, expiresAt } = event.payload;
      const resetUrl = new URL(`${settings.appBaseUrl}/reset-password`);
      resetUrl.searchParams.set('token', resetToken);
      return [
        {
          channel: 'email',
          notificationId: idFor('email', userId),
          userId,
          to: email,
          subject: 'Reset your password',
          template: 'password-reset-email',
          templateData: { name, resetUrl: resetUrl.href, expiresAt: expiryFormat.format(new Date(expiresAt)) },
        },
      ];
    }
    case 'PaymentCompleted': {
      const { userId, orderId, paymentId, amount, method } = event.payload;
      const recipient = known(facts, userId);
      const data = { name: recipient.name, orderId, paymentId, amount: formatAmount(amount), method: paymentMethodWords[method] };
      return toUser(recipient, facts, idFor, 'payment-receipt', data, 'Your payment receipt');
    }
    case 'OrderCancelled': {
      const { userId, orderId, reason, detail } = event.payload;
      const recipient = known(facts, userId);
      const data = { name: recipient.name, orderId, reason: cancellationReasonWords[reason], detail: detail ?? '' };
      return toUser(recipient, facts, idFor, 'order-cancelled', data, 'Your order was cancelled');
    }
    case 'StockDepleted': {
      const { productId, available, lowWaterMark } = event.payload;
      const left = available === 1 ? '1 unit' : `${String(available)} units`;
      return settings.adminEmails.map((to) => ({
        channel: 'email' as const,
        notificationId: idFor('email', to),
        to,
        subject: `Low stock: product ${productId} has ${left} left`,
        template: 'stock-depleted-email',
        templateData: { productId, available: String(available), lowWaterMark: String(lowWaterMark) },
      }));
    }
    default:
      return assertNever(event);
  }
}

function known(facts: TriggerFacts, userId: string): Recipient {
  if (facts.recipient?.userId !== userId) throw new RecipientNotKnownYet(userId);
  return facts.recipient;
}

/** Email always; SMS when the user gave a phone; push when they subscribed a browser. */
function toUser(
  { userId, email, phone }: Recipient,
  { hasPushSubscription }: TriggerFacts,
  idFor: (channel: Channel, recipient: string) => string,
  template: string,
  templateData: Readonly<Record<string, string>>,
  heading: string,
): NotificationRequest[] {
  const requests: NotificationRequest[] = [
    { channel: 'email', notificationId: idFor('email', userId), userId, to: email, subject: heading, template: `${template}-email`, templateData },
  ];
  if (phone !== undefined) {
    requests.push({ channel: 'sms', notificationId: idFor('sms', userId), userId, to: phone, template: `${template}-sms`, templateData });
  }
  if (hasPushSubscription) {
    requests.push({ channel: 'push', notificationId: idFor('push', userId), userId, title: heading, template: `${template}-push`, templateData });
  }
  return requests;
}

function assertNever(value: never): never {
  throw new Error(`unhandled trigger event ${JSON.stringify(value)}`);
}
