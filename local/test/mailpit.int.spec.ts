import { randomUUID } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { localServers, mailpitClient, REFUSED_EMAIL_DOMAIN } from '../src/index.js';

describe('Mailpit smoke', () => {
  const servers = localServers();
  const mailpit = mailpitClient();
  const transport = createTransport({ url: servers.mailpitSmtpUrl, connectionTimeout: 5_000, socketTimeout: 5_000 });
  // Addresses of this spec's own, so other specs' mails on the shared Mailpit never show up here.
  const to = `ada-${randomUUID()}@example.com`;

  afterAll(async () => {
    await mailpit.deleteMessages(to);
    transport.close();
  });

  it('given a mail with text, HTML and a header of its own, when sent over SMTP, then Mailpit reads it back whole', async () => {
    await transport.sendMail({
      from: 'MSA Shop <no-reply@msa.local>',
      to: `Ada Lovelace <${to}>`,
      subject: 'Welcome, Ada',
      text: 'Welcome to the shop.',
      html: '<p>Welcome to the <b>shop</b>.</p>',
      headers: { 'X-Msa-Notification': 'welcome' },
    });

    const mail = await mailpit.awaitMessage(to);

    expect(mail).toMatchObject({
      from: { name: 'MSA Shop', address: 'no-reply@msa.local' },
      to: [{ name: 'Ada Lovelace', address: to }],
      subject: 'Welcome, Ada',
    });
    expect(mail.text.trim()).toBe('Welcome to the shop.');
    expect(mail.html).toContain('<b>shop</b>');
    expect(mail.headers['X-Msa-Notification']).toEqual(['welcome']);
    expect((await mailpit.messages({ to })).map((summary) => summary.id)).toEqual([mail.id]);
  });

  it('given mails to an address and to a longer one containing it, when deleted by the first, then only the longer one is left', async () => {
    const other = `bob-${randomUUID()}@example.com`;
    const longer = `x${other}`;
    await transport.sendMail({ from: 'no-reply@msa.local', to: other, subject: 'one', text: 'one' });
    await transport.sendMail({ from: 'no-reply@msa.local', to: longer, subject: 'two', text: 'two' });
    await mailpit.awaitMessage(other);
    await mailpit.awaitMessage(longer);

    expect((await mailpit.messages({ to: other })).map((summary) => summary.subject)).toEqual(['one']);
    await mailpit.deleteMessages(other);

    expect(await mailpit.messages({ to: other })).toEqual([]);
    expect((await mailpit.messages({ to: longer })).map((summary) => summary.subject)).toEqual(['two']);
    await mailpit.deleteMessages(longer);
  });

  it('given a mail sent only as a blind copy, when listed by that address, then it is found', async () => {
    const hidden = `eve-${randomUUID()}@example.com`;
    await transport.sendMail({ from: 'no-reply@msa.local', to: `someone-${randomUUID()}@example.com`, bcc: hidden, subject: 'bcc', text: 'bcc' });

    const mail = await mailpit.awaitMessage(hidden);

    expect(mail.bcc.map((address) => address.address)).toEqual([hidden]);
    await mailpit.deleteMessages(hidden);
  });

  it('given a recipient in the refused domain, when sent, then the server refuses it for good with 550', async () => {
    const sending = transport.sendMail({
      from: 'no-reply@msa.local',
      to: `nobody@${REFUSED_EMAIL_DOMAIN}`,
      subject: 'never delivered',
      text: 'never delivered',
    });

    await expect(sending).rejects.toMatchObject({ responseCode: 550 });
  });

  it.each(['nobody@MAIL.INVALID', 'nobody@invalid'])(
    'given the refused address %s, when sent, then it is refused whatever its case or depth',
    async (address) => {
      await expect(
        transport.sendMail({ from: 'no-reply@msa.local', to: address, subject: 'never', text: 'never' }),
      ).rejects.toMatchObject({ responseCode: 550 });
    },
  );

  it.each(['invalid.example.com', 'mail.invalidity.example', 'invalids'])(
    'given a domain that only resembles the refused one (%s), when sent, then it is accepted',
    async (domain) => {
      const address = `carol-${randomUUID()}@${domain}`;

      const sent = await transport.sendMail({ from: 'no-reply@msa.local', to: address, subject: 'ok', text: 'ok' });

      expect(sent.accepted).toEqual([address]);
      await mailpit.awaitMessage(address);
      await mailpit.deleteMessages(address);
    },
  );

  it('given the web UI address, when fetched, then its page and the bundled script it loads are served', async () => {
    const page = await fetch(servers.mailpitUrl, { signal: AbortSignal.timeout(5_000) });
    const script = await fetch(new URL('/dist/app.js', servers.mailpitUrl), { signal: AbortSignal.timeout(5_000) });

    expect(page.status).toBe(200);
    expect(await page.text()).toContain('dist/app.js');
    expect(script.status).toBe(200);
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });
});
