import { randomUUID } from 'node:crypto';
import { localServers, mailpitClient, readSmsSinkCredentials, REFUSED_EMAIL_DOMAIN, smsSinkClient } from '@msa/local';
import { messageIdFor } from '../src/adapters/channels/smtp-email-channel.js';
import { paymentCompleted, userCreated } from './support/events.js';
import { startTcpForwarder, type TcpForwarder } from './support/tcp-forwarder.js';
import { eventually, SERVER_TEST_TIMEOUT_MS, startNotificationService, type TestNotificationService } from './support/service.js';

/** An address no other spec (or run) uses, since the local Mailpit is shared. */
const uniqueAddress = (label: string, domain = 'example.com') => `${label}-${randomUUID().slice(0, 8)}@${domain}`;

describe('Notification service delivering to the local Mailpit and SMS sink', () => {
  const servers = localServers();
  const mailpit = mailpitClient();
  const smsSink = smsSinkClient();
  let service: TestNotificationService;
  // Mailpit as the service sees it: the spec takes it down and brings it back here, never the shared server itself.
  let mailpitSmtp: TcpForwarder;

  beforeAll(async () => {
    const { accountSid, authToken } = readSmsSinkCredentials();
    const smtp = new URL(servers.mailpitSmtpUrl);
    mailpitSmtp = await startTcpForwarder(smtp.hostname, Number(smtp.port));
    service = await startNotificationService({
      smtpUrl: `smtp://127.0.0.1:${mailpitSmtp.port}`,
      smsUrl: servers.smsSinkUrl,
      environment: { SMS_ACCOUNT_ID: accountSid, SMS_AUTH_TOKEN: authToken },
    });
  }, SERVER_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await service.close();
    await mailpitSmtp.down();
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a registration whose user.profile.created message is delivered twice, when both are consumed, then Mailpit holds exactly one welcome mail, with the Message-ID of its delivery key', async () => {
    const address = uniqueAddress('welcome');
    const user = userCreated(address);

    await service.publish(user);
    await service.publish(user);

    const mail = await mailpit.awaitMessage(address, 20_000);
    expect(mail.subject).toBe('Welcome to the shop');
    expect(`<${mail.messageId}>`).toBe(messageIdFor(`${user.eventId}:email`, 'shop.example'));
    await eventually(async () => ((await service.consumedOffsets('notification.triggers', 'user.profile.created')) >= 2 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await mailpit.messages({ to: address })).toHaveLength(1);
    await mailpit.deleteMessages(address);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given Mailpit down, when a user registers and Mailpit comes back, then the welcome mail arrives there once, after the failed attempts', async () => {
    const address = uniqueAddress('outage');
    const user = userCreated(address);
    await mailpitSmtp.down();
    try {
      await service.publish(user);
      await eventually(async () => {
        const { rows } = await service.pool.query<{ attempts: number }>(
          "select attempts from notification_deliveries where idempotency_key = $1 and state = 'pending'",
          [`${user.eventId}:email`],
        );
        return (rows[0]?.attempts ?? 0) >= 2 ? true : undefined;
      });
      expect(await mailpit.messages({ to: address })).toEqual([]);
    } finally {
      await mailpitSmtp.up();
    }

    const mail = await mailpit.awaitMessage(address, 20_000);

    expect(mail.subject).toBe('Welcome to the shop');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await mailpit.messages({ to: address })).toHaveLength(1);
    await mailpit.deleteMessages(address);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given an address Mailpit refuses with 550, when the welcome mail is sent, then it is failed after one attempt and never retried', async () => {
    const address = uniqueAddress('refused', REFUSED_EMAIL_DOMAIN);
    const user = userCreated(address);

    await service.publish(user);

    const row = await eventually(async () => {
      const { rows } = await service.pool.query<{ state: string; attempts: number; last_error: string }>(
        'select state, attempts, last_error from notification_deliveries where idempotency_key = $1',
        [`${user.eventId}:email`],
      );
      return rows[0]?.state === 'failed' ? rows[0] : undefined;
    });
    expect(row.attempts).toBe(1);
    expect(row.last_error).toMatch(/550/);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const { rows } = await service.pool.query<{ attempts: number }>('select attempts from notification_deliveries where idempotency_key = $1', [`${user.eventId}:email`]);
    expect(rows).toEqual([{ attempts: 1 }]);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a user with a phone, when their payment completes, then the SMS sink holds one receipt text for the number', async () => {
    const phone = `+8210${Math.floor(10_000_000 + Math.random() * 89_999_999)}`;
    const user = userCreated(uniqueAddress('texted'), phone);
    await service.publish(user);
    await mailpit.awaitMessage(user.payload.email, 20_000);

    await service.publish(paymentCompleted(user.payload.userId));

    const [text, ...others] = await eventually(async () => {
      const messages = await smsSink.messages(phone);
      return messages.length > 0 ? messages : undefined;
    });
    expect(others).toEqual([]);
    expect(JSON.stringify(text)).toContain('₩91,800');
    await smsSink.clear(phone);
    await mailpit.deleteMessages(user.payload.email);
  }, SERVER_TEST_TIMEOUT_MS);
});
