import { loadConfig } from '@msa/platform';
import webpush from 'web-push';
import { z } from 'zod';
import { createChannels, type Channels } from '../../../src/adapters/channels/channels.js';
import { channelVariables, vapidKeysPaired } from '../../../src/adapters/channels/config.js';
import { messageIdFor } from '../../../src/adapters/channels/smtp-email-channel.js';
import { loadTemplates } from '../../../src/adapters/channels/templates.js';
import { startTestPushService, type TestPushService } from '../../support/push-service.js';
import { sampleData } from './fixtures.js';
import { startSmsProvider, type TestSmsProvider } from './sms-provider.js';
import { startSmtpServer, type TestSmtpServer } from './smtp-server.js';

const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';
const vapid = webpush.generateVAPIDKeys();
const signal = () => AbortSignal.timeout(10_000);

describe('Channels from the configuration', () => {
  let smtp: TestSmtpServer;
  let provider: TestSmsProvider;
  let pushService: TestPushService;
  let channels: Channels;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    provider = await startSmsProvider();
    pushService = await startTestPushService({ vapidPublicKey: vapid.publicKey });
    const config = loadConfig(z.object(channelVariables).superRefine(vapidKeysPaired), {
      SMTP_URL: smtp.url,
      SMTP_FROM: 'MSA Shop <no-reply@shop.example>',
      SMS_API_URL: provider.url,
      SMS_ACCOUNT_ID: ACCOUNT,
      SMS_AUTH_TOKEN: 'token-value',
      SMS_FROM: '+15005550006',
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'https://shop.example/contact',
      PUSH_TTL: '2h',
    });
    channels = createChannels(config, await loadTemplates());
  });
  afterAll(async () => {
    channels.close();
    await Promise.all([smtp.close(), provider.close(), pushService.close()]);
  });

  it('given the loaded variables, when an email is sent, then it goes to SMTP_URL from SMTP_FROM', async () => {
    const outcome = await channels.email.send(
      { idempotencyKey: 'evt-9:email', template: 'welcome-email', data: { name: 'Ada' }, to: 'ada@example.com', subject: 'Welcome' },
      signal(),
    );

    expect(outcome).toMatchObject({ status: 'sent' });
    expect(smtp.received.map(({ mail }) => [mail.messageId, mail.from?.value[0]?.address])).toEqual([
      [messageIdFor('evt-9:email', 'shop.example'), 'no-reply@shop.example'],
    ]);
  });

  it('given the loaded variables, when a text is sent, then it goes to SMS_API_URL for SMS_ACCOUNT_ID from SMS_FROM', async () => {
    const outcome = await channels.sms.send(
      { idempotencyKey: 'evt-9:sms', template: 'payment-receipt-sms', data: sampleData('payment-receipt-sms'), to: '+821012345678' },
      signal(),
    );

    expect(outcome).toMatchObject({ status: 'sent' });
    expect(provider.received.map(({ path, form }) => [path, form.get('From')])).toEqual([
      [`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`, '+15005550006'],
    ]);
  });

  it('given the loaded variables, when a push is sent, then it is signed for VAPID_SUBJECT and kept for PUSH_TTL', async () => {
    const subscription = pushService.subscribe();

    const outcome = await channels.push.send(
      { idempotencyKey: 'evt-9:push:0', template: 'payment-receipt-push', data: sampleData('payment-receipt-push'), title: 'Paid', subscription },
      signal(),
    );

    expect(outcome).toMatchObject({ status: 'sent' });
    expect(pushService.received).toMatchObject([{ ttl: '7200', claims: { sub: 'https://shop.example/contact' } }]);
  });
});
