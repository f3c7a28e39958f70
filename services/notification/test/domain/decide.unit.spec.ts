import { deciderSpec } from '@msa/platform/testing';
import { notificationDecider, type RequestNotification } from '../../src/domain/decide.js';
import type { NotificationRequest } from '../../src/domain/notification.js';
import { USER_ID } from './fixtures.js';

const { given } = deciderSpec(notificationDecider);

const welcome: NotificationRequest = {
  channel: 'email',
  notificationId: '66666666-6666-4666-8666-666666666666',
  userId: USER_ID,
  to: 'minji@example.com',
  subject: 'Welcome to the shop',
  template: 'welcome-email',
  templateData: { name: 'Kim Minji' },
};
const request: RequestNotification = { type: 'RequestNotification', data: welcome };
const requested = { eventType: 'NotificationRequested', payload: welcome } as const;

describe('Notification aggregate', () => {
  it('given no notification, when one is requested, then NotificationRequested carries the request', () => {
    given([]).when(request).then([requested]);
  });

  it('given the notification was requested, when its trigger asks again, then nothing new is recorded', () => {
    given([requested]).when(request).then([]);
  });

  it('given a requested notification, when folded, then the state holds its request', () => {
    given([requested]).thenState({ status: 'requested', request: welcome });
  });

  it('given no events, when folded, then the notification is absent', () => {
    given([]).thenState({ status: 'absent' });
  });
});
