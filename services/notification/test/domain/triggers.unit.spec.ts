import { templateCatalog } from '../../src/adapters/channels/template-catalog.js';
import { RecipientNotKnownYet } from '../../src/domain/errors.js';
import { notificationIdFor } from '../../src/domain/notification-id.js';
import type { Recipient } from '../../src/domain/recipient.js';
import { requestsFor, type TriggerEvent, type TriggerFacts, type TriggerSettings } from '../../src/domain/triggers.js';
import {
  ORDER_ID,
  orderCancelled,
  PAYMENT_ID,
  PRODUCT_ID,
  paymentCompleted,
  RESET_TOKEN,
  resetRequested,
  stockDepleted,
  TRIGGER_ID,
  USER_ID,
  userCreated,
} from './fixtures.js';

const settings: TriggerSettings = { appBaseUrl: 'https://shop.example.com', adminEmails: ['ops@example.com', 'stock@example.com'] };
const minji: Recipient = { userId: USER_ID, email: 'minji@example.com', name: 'Kim Minji' };
const withPhone: Recipient = { ...minji, phone: '+821012345678' };
const nothingKnown: TriggerFacts = { hasPushSubscription: false };
const idFor = (channel: 'email' | 'sms' | 'push', recipient = USER_ID) => notificationIdFor(TRIGGER_ID, channel, recipient);

describe('notification triggers', () => {
  it('given a registration, when mapped, then one welcome email to the new address', () => {
    expect(requestsFor(userCreated(), nothingKnown, settings)).toEqual([
      {
        channel: 'email',
        notificationId: idFor('email'),
        userId: USER_ID,
        to: 'minji@example.com',
        subject: 'Welcome to the shop',
        template: 'welcome-email',
        templateData: { name: 'Kim Minji' },
      },
    ]);
  });

  it('given a reset request, when mapped, then one email with the link into the shop and the expiry in words', () => {
    const [reset, ...others] = requestsFor(resetRequested(), nothingKnown, settings);

    expect(others).toEqual([]);
    expect(reset).toMatchObject({ channel: 'email', to: 'minji@example.com', template: 'password-reset-email' });
    expect(reset?.templateData).toEqual({
      name: 'Kim Minji',
      resetUrl: `https://shop.example.com/reset-password?token=${RESET_TOKEN}`,
      expiresAt: 'March 1, 2026 at 9:30 AM UTC',
    });
  });

  it('given a completed payment of a user with a phone and a push subscription, when mapped, then email, SMS and push receipts', () => {
    const requests = requestsFor(paymentCompleted(), { recipient: withPhone, hasPushSubscription: true }, settings);

    const data = { name: 'Kim Minji', orderId: ORDER_ID, paymentId: PAYMENT_ID, amount: '₩91,800', method: 'card' };
    expect(requests).toEqual([
      { channel: 'email', notificationId: idFor('email'), userId: USER_ID, to: 'minji@example.com', subject: 'Your payment receipt', template: 'payment-receipt-email', templateData: data },
      { channel: 'sms', notificationId: idFor('sms'), userId: USER_ID, to: '+821012345678', template: 'payment-receipt-sms', templateData: data },
      { channel: 'push', notificationId: idFor('push'), userId: USER_ID, title: 'Your payment receipt', template: 'payment-receipt-push', templateData: data },
    ]);
  });

  it('given a completed payment of a user with neither phone nor subscription, when mapped, then only the email receipt', () => {
    const requests = requestsFor(paymentCompleted(1_250, 'USD'), { recipient: minji, hasPushSubscription: false }, settings);

    expect(requests.map((r) => [r.channel, r.templateData.amount])).toEqual([['email', '$12.50']]);
  });

  it('given a cancellation, when mapped, then the reason in words and the detail, empty when the event has none', () => {
    const [withDetail] = requestsFor(orderCancelled('Blue mug sold out'), { recipient: minji, hasPushSubscription: false }, settings);
    const [withoutDetail] = requestsFor(orderCancelled(), { recipient: minji, hasPushSubscription: false }, settings);

    expect(withDetail?.templateData).toEqual({ name: 'Kim Minji', orderId: ORDER_ID, reason: 'some items are out of stock', detail: 'Blue mug sold out' });
    expect(withoutDetail?.templateData.detail).toBe('');
    expect(withDetail?.template).toBe('order-cancelled-email');
  });

  it.each([
    ['payment', paymentCompleted()],
    ['cancellation', orderCancelled()],
  ] as const)('given a %s for a user not among the recipients yet, when mapped, then the retriable RecipientNotKnownYet', (_, event) => {
    expect(() => requestsFor(event, nothingKnown, settings)).toThrow(RecipientNotKnownYet);
    expect(new RecipientNotKnownYet(USER_ID).retriable).toBe(true);
  });

  it('given stock at its low-water mark, when mapped, then one alert email per admin address with the units left, with no user', () => {
    const requests = requestsFor(stockDepleted(), nothingKnown, settings);

    expect(requests).toEqual(
      settings.adminEmails.map((to) => ({
        channel: 'email',
        notificationId: idFor('email', to),
        to,
        subject: `Low stock: product ${PRODUCT_ID} has 2 units left`,
        template: 'stock-depleted-email',
        templateData: { productId: PRODUCT_ID, available: '2', lowWaterMark: '5' },
      })),
    );
  });

  it('given the same trigger twice, when mapped, then the same ids; another trigger, other ids', () => {
    const once = requestsFor(userCreated(), nothingKnown, settings).map((r) => r.notificationId);
    const again = requestsFor(userCreated(), nothingKnown, settings).map((r) => r.notificationId);
    const other = requestsFor({ ...userCreated(), eventId: '77777777-7777-4777-8777-777777777777' }, nothingKnown, settings);

    expect(again).toEqual(once);
    expect(other.map((r) => r.notificationId)).not.toEqual(once);
  });

  it('given every trigger, when mapped, then each request names a template of the catalog, for its channel, with exactly its keys', () => {
    const everyone: TriggerFacts = { recipient: withPhone, hasPushSubscription: true };
    const triggers: TriggerEvent[] = [userCreated(), resetRequested(), paymentCompleted(), orderCancelled('x'), stockDepleted()];

    const requests = triggers.flatMap((event) => requestsFor(event, everyone, settings));

    expect(new Set(requests.map((r) => r.template))).toEqual(new Set(Object.keys(templateCatalog)));
    for (const request of requests) {
      const spec = templateCatalog[request.template as keyof typeof templateCatalog];
      expect({ template: request.template, channel: spec.channel, keys: [...spec.keys].sort() }).toEqual({
        template: request.template,
        channel: request.channel,
        keys: Object.keys(request.templateData).sort(),
      });
    }
  });
});
