import { createEvent, type EventOf, type NotificationRequested } from '@msa/contracts';
import { deliveriesFor } from '../../src/domain/delivery.js';
import { TRIGGER_ID, USER_ID } from './fixtures.js';

const NOTIFICATION_ID = '66666666-6666-4666-8666-666666666666';
const keys = { p256dh: 'BPk', auth: 'YXV0aA' };

function requested(payload: NotificationRequested['payload']): EventOf<'NotificationRequested'> {
  return createEvent({
    eventType: 'NotificationRequested',
    eventId: '88888888-8888-4888-8888-888888888888',
    version: 1,
    occurredAt: '2026-03-01T09:00:00.000Z',
    correlationId: 'flow',
    causationId: TRIGGER_ID,
    payload,
  });
}

const common = { notificationId: NOTIFICATION_ID, template: 'payment-receipt-email', templateData: { name: 'Kim Minji' } };

describe('deliveries of a requested notification', () => {
  it("given an email to a user, when split, then one delivery keyed by the trigger and the channel", () => {
    const [delivery, ...others] = deliveriesFor(requested({ ...common, channel: 'email', userId: USER_ID, to: 'minji@example.com', subject: 'Receipt' }), []);

    expect(others).toEqual([]);
    expect(delivery).toEqual({ idempotencyKey: `${TRIGGER_ID}:email`, notificationId: NOTIFICATION_ID, channel: 'email', recipient: 'minji@example.com', heading: 'Receipt', template: common.template, data: common.templateData });
  });

  it('given an alert to an admin address, when split, then the key names the address, since one trigger alerts several', () => {
    const deliveries = deliveriesFor(requested({ ...common, channel: 'email', to: 'ops@example.com', subject: 'Out of stock' }), []);

    expect(deliveries.map((d) => d.idempotencyKey)).toEqual([`${TRIGGER_ID}:email:ops@example.com`]);
  });

  it('given an SMS, when split, then one delivery to the number', () => {
    const deliveries = deliveriesFor(requested({ ...common, channel: 'sms', userId: USER_ID, to: '+821012345678' }), []);

    expect(deliveries.map((d) => [d.idempotencyKey, d.recipient])).toEqual([[`${TRIGGER_ID}:sms`, '+821012345678']]);
  });

  it('given a push to a user with two browsers, when split, then one delivery each, with distinct stable keys', () => {
    const browsers = [
      { endpoint: 'https://push.example.com/a', keys },
      { endpoint: 'https://push.example.com/b', keys },
    ];
    const push = requested({ ...common, channel: 'push', userId: USER_ID, title: 'Receipt' });

    const deliveries = deliveriesFor(push, browsers);

    expect(deliveries.map((d) => [d.recipient, d.pushKeys, d.heading])).toEqual(browsers.map((b) => [b.endpoint, keys, 'Receipt']));
    expect(new Set(deliveries.map((d) => d.idempotencyKey)).size).toBe(2);
    expect(deliveriesFor(push, browsers).map((d) => d.idempotencyKey)).toEqual(deliveries.map((d) => d.idempotencyKey));
    expect(deliveries.every((d) => d.idempotencyKey.startsWith(`${TRIGGER_ID}:push:`))).toBe(true);
  });

  it('given a push to a user with no browser left, when split, then no delivery', () => {
    expect(deliveriesFor(requested({ ...common, channel: 'push', userId: USER_ID, title: 'Receipt' }), [])).toEqual([]);
  });
});
