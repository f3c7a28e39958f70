import { randomUUID } from 'node:crypto';
import { localServers, mailpitClient, REFUSED_EMAIL_DOMAIN } from '@msa/local';
import { createSmtpEmailChannel, IDEMPOTENCY_HEADER, messageIdFor, type SmtpEmailChannel } from '../../../src/adapters/channels/smtp-email-channel.js';
import { loadTemplates } from '../../../src/adapters/channels/templates.js';
import type { EmailMessage } from '../../../src/ports.js';
import { sampleData } from './fixtures.js';

const mailpit = mailpitClient();
const signal = () => AbortSignal.timeout(10_000);

describe('SMTP email channel against the local Mailpit', () => {
  const recipients: string[] = [];
  let channel: SmtpEmailChannel;
  beforeAll(async () => {
    const templates = await loadTemplates();
    channel = createSmtpEmailChannel({
      url: localServers().mailpitSmtpUrl,
      from: 'MSA Shop <no-reply@msa.local>',
      templates,
      timeouts: { connectionMs: 2_000, greetingMs: 2_000, socketMs: 5_000 },
    });
  });
  afterAll(async () => {
    channel.close();
    await Promise.all(recipients.map((to) => mailpit.deleteMessages(to)));
  });

  /** An address of this spec's own, so the shared Mailpit's other mails never match. */
  const recipient = (domain = 'example.com'): string => {
    const address = `reset-${randomUUID()}@${domain}`;
    recipients.push(address);
    return address;
  };

  it('given a password reset, when sent, then Mailpit holds it with both parts, the data escaped in HTML only, and the key’s Message-ID', async () => {
    const to = recipient();
    const key = `${randomUUID()}:email`;
    const data = { ...sampleData('password-reset-email'), name: 'Ada "<b>" Lovelace' };
    const message: EmailMessage = { idempotencyKey: key, template: 'password-reset-email', data, to, subject: 'Reset your password' };

    const outcome = await channel.send(message, signal());
    const mail = await mailpit.awaitMessage(to);

    expect(outcome).toMatchObject({ status: 'sent' });
    expect(mail).toMatchObject({ subject: 'Reset your password', from: { name: 'MSA Shop', address: 'no-reply@msa.local' }, to: [{ address: to }] });
    expect(`<${mail.messageId}>`).toBe(messageIdFor(key, 'msa.local'));
    expect(mail.headers[IDEMPOTENCY_HEADER]).toEqual([key]);
    expect(mail.html).toContain('Hi Ada &quot;&lt;b&gt;&quot; Lovelace,');
    expect(mail.html).toContain(`href="${data.resetUrl.replaceAll('=', '&#x3D;')}"`);
    expect(mail.text).toContain('Hi Ada "<b>" Lovelace,');
    expect(mail.text).toContain(data.resetUrl);
    expect(mail.text).toContain(`expires at ${data.expiresAt}`);
  });

  it('given an address Mailpit refuses with 550, when sent, then it is rejected for good', async () => {
    const to = recipient(REFUSED_EMAIL_DOMAIN);

    const outcome = await channel.send({ idempotencyKey: `${randomUUID()}:email`, template: 'welcome-email', data: { name: 'Ada' }, to, subject: 'Welcome' }, signal());

    expect(outcome).toEqual({ status: 'rejected', reason: expect.stringContaining('550') as unknown });
    expect(await mailpit.messages({ to })).toEqual([]);
  });
});
