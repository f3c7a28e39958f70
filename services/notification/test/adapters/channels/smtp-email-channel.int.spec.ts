import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { within } from '@msa/local';
import type { EmailMessage } from '../../../src/ports.js';
import { createSmtpEmailChannel, IDEMPOTENCY_HEADER, messageIdFor, type SmtpEmailChannel } from '../../../src/adapters/channels/smtp-email-channel.js';
import { loadTemplates, type Templates } from '../../../src/adapters/channels/templates.js';
import { startSmtpServer, type TestSmtpServer } from './smtp-server.js';

const TIMEOUTS = { connectionMs: 1_000, greetingMs: 1_000, socketMs: 2_000 };
const FROM = 'MSA Shop <no-reply@shop.example>';

/**
 * A TCP server that plays a broken SMTP server: `onConnection` gets each socket. Doing nothing is a
 * server stuck before its greeting.
 */
async function startBrokenServer(onConnection: (socket: Socket) => void = () => undefined): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A port nothing listens on: one the OS handed out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

function welcome(overrides: Partial<EmailMessage> = {}): EmailMessage {
  return {
    idempotencyKey: '0193a7c2-6f1e-7d3a-9b2c-4e5f6a7b8c9d:email',
    template: 'welcome-email',
    data: { name: 'Ada <script>alert(1)</script>' },
    to: 'ada@example.com',
    subject: 'Welcome to MSA Shop',
    ...overrides,
  };
}

const signal = () => AbortSignal.timeout(10_000);

describe('SMTP email channel', () => {
  let templates: Templates;
  let smtp: TestSmtpServer;
  let channel: SmtpEmailChannel;
  beforeAll(async () => {
    templates = await loadTemplates();
    smtp = await startSmtpServer();
    channel = createSmtpEmailChannel({ url: smtp.url, from: FROM, templates, timeouts: TIMEOUTS });
  });
  afterAll(async () => {
    channel.close();
    await smtp.close();
  });

  it('given a welcome email, when sent, then it arrives with both parts, the name escaped in HTML only, and the key’s Message-ID', async () => {
    const message = welcome({ idempotencyKey: 'evt-1:email', to: 'first@example.com' });

    const outcome = await channel.send(message, signal());

    expect(outcome).toEqual({ status: 'sent', providerId: expect.stringMatching(/^Q\d+$/) as unknown });
    const { mail } = smtp.received.find(({ mail }) => mail.messageId === messageIdFor('evt-1:email', 'shop.example')) ?? {};
    expect(mail?.subject).toBe('Welcome to MSA Shop');
    expect(mail?.from?.value).toEqual([{ name: 'MSA Shop', address: 'no-reply@shop.example' }]);
    expect(mail?.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(mail?.html).toContain('Welcome, Ada &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail?.html).not.toContain('<script>');
    expect(mail?.text).toContain('Welcome, Ada <script>alert(1)</script>');
    expect(mail?.headers.get(IDEMPOTENCY_HEADER.toLowerCase())).toBe('evt-1:email');
  });

  it('given the same message sent twice, when both arrive, then they carry one Message-ID, and another key another', async () => {
    await channel.send(welcome({ idempotencyKey: 'evt-2:email', to: 'twice@example.com' }), signal());
    await channel.send(welcome({ idempotencyKey: 'evt-2:email', to: 'twice@example.com' }), signal());
    await channel.send(welcome({ idempotencyKey: 'evt-3:email', to: 'twice@example.com' }), signal());

    const ids = smtp.received.filter(({ mail }) => mail.to !== undefined && JSON.stringify(mail.to).includes('twice@')).map(({ mail }) => mail.messageId);
    expect(ids).toEqual([messageIdFor('evt-2:email', 'shop.example'), messageIdFor('evt-2:email', 'shop.example'), messageIdFor('evt-3:email', 'shop.example')]);
    expect(ids[0]).toMatch(/^<[0-9a-f]{32}@shop\.example>$/);
  });

  it('given a recipient the server refuses with 550, when sent, then it is rejected for good with the reply', async () => {
    smtp.refuse('gone@example.com', 550);

    const outcome = await channel.send(welcome({ to: 'gone@example.com' }), signal());

    expect(outcome).toEqual({ status: 'rejected', reason: expect.stringContaining('550') as unknown });
  });

  it('given a recipient the server defers with 451, when sent, then it is worth a retry', async () => {
    smtp.refuse('busy@example.com', 451);

    const outcome = await channel.send(welcome({ to: 'busy@example.com' }), signal());

    expect(outcome).toEqual({ status: 'retry', reason: expect.stringContaining('451') as unknown });
  });

  it('given a 503 (commands out of sequence) for a recipient, when sent, then it is retried: a new session may take it', async () => {
    smtp.refuse('sequence@example.com', 503);

    const outcome = await channel.send(welcome({ to: 'sequence@example.com' }), signal());

    expect(outcome).toEqual({ status: 'retry', reason: expect.stringContaining('503') as unknown });
  });

  it('given no recipient address, when sent, then nodemailer refuses the envelope before sending and it is rejected', async () => {
    const outcome = await channel.send(welcome({ to: '' }), signal());

    expect(outcome).toEqual({ status: 'rejected', reason: expect.stringMatching(/^EENVELOPE: /) as unknown });
  });

  it('given data the template lacks, when sent, then it is rejected naming the key and nothing reaches the server', async () => {
    const before = smtp.received.length;

    const outcome = await channel.send(welcome({ data: {} }), signal());

    expect(outcome).toEqual({ status: 'rejected', reason: 'template welcome-email: the data lacks "name"' });
    expect(smtp.received).toHaveLength(before);
  });

  it('given a signal that has already fired, when sent, then the attempt is abandoned as a retry and nothing is sent', async () => {
    const before = smtp.received.length;

    const outcome = await channel.send(welcome({ to: 'late@example.com' }), AbortSignal.abort());

    expect(outcome).toMatchObject({ status: 'retry' });
    expect(smtp.received).toHaveLength(before);
  });
});

describe('SMTP email channel, when the server is down or broken', () => {
  let templates: Templates;
  beforeAll(async () => {
    templates = await loadTemplates();
  });

  it('given nothing listening, when sent, then the refused connection is worth a retry', async () => {
    const channel = createSmtpEmailChannel({ url: `smtp://127.0.0.1:${await closedPort()}`, from: FROM, templates, timeouts: TIMEOUTS });

    const outcome = await within(5_000, channel.send(welcome(), signal()));
    channel.close();

    expect(outcome).toEqual({ status: 'retry', reason: expect.stringMatching(/^ESOCKET: .*ECONNREFUSED/) as unknown });
  });

  it('given a server that never greets, when sent, then the greeting timeout ends the attempt as a retry', async () => {
    const silent = await startBrokenServer();
    const channel = createSmtpEmailChannel({ url: silent.url, from: FROM, templates, timeouts: { ...TIMEOUTS, greetingMs: 300 } });

    const outcome = await within(3_000, channel.send(welcome(), signal()));
    channel.close();
    await silent.close();

    expect(outcome).toEqual({ status: 'retry', reason: expect.stringMatching(/^ETIMEDOUT: /) as unknown });
  });

  it('given a server that greets and then stops answering, when sent, then the socket timeout ends the attempt as a retry', async () => {
    const stalled = await startBrokenServer((socket) => socket.write('220 mail.example ESMTP\r\n'));
    const channel = createSmtpEmailChannel({ url: stalled.url, from: FROM, templates, timeouts: { ...TIMEOUTS, socketMs: 300 } });

    const outcome = await within(3_000, channel.send(welcome(), signal()));
    channel.close();
    await stalled.close();

    expect(outcome).toEqual({ status: 'retry', reason: expect.stringMatching(/^ETIMEDOUT: /) as unknown });
  });

  it('given a server that resets the connection after its greeting, when sent, then the attempt is retried', async () => {
    const resetting = await startBrokenServer((socket) => {
      socket.write('220 mail.example ESMTP\r\n');
      socket.once('data', () => socket.resetAndDestroy());
    });
    const channel = createSmtpEmailChannel({ url: resetting.url, from: FROM, templates, timeouts: TIMEOUTS });

    const outcome = await within(3_000, channel.send(welcome(), signal()));
    channel.close();
    await resetting.close();

    expect(outcome).toMatchObject({ status: 'retry' });
  });

  it('given a server that never greets and a signal that fires first, when sent, then the signal ends the attempt', async () => {
    const silent = await startBrokenServer();
    const channel = createSmtpEmailChannel({ url: silent.url, from: FROM, templates, timeouts: { ...TIMEOUTS, greetingMs: 30_000 } });

    const outcome = await within(3_000, channel.send(welcome(), AbortSignal.timeout(200)));
    channel.close();
    await silent.close();

    expect(outcome).toEqual({ status: 'retry', reason: expect.stringMatching(/^EABORT: /) as unknown });
  });
});

describe('SMTP email channel with credentials in its URL', () => {
  it('given a server that wants a login, when sent, then the URL’s user signs in and the message arrives', async () => {
    const templates = await loadTemplates();
    const smtp = await startSmtpServer({ credentials: { user: 'mailer', password: 's3cret' } });
    const channel = createSmtpEmailChannel({ url: smtp.url, from: FROM, templates, timeouts: TIMEOUTS });

    const outcome = await channel.send(welcome(), signal());
    channel.close();
    await smtp.close();

    expect(outcome).toMatchObject({ status: 'sent' });
    expect(smtp.received.map(({ user }) => user)).toEqual(['mailer']);
  });

  it('given a wrong password in the URL, when sent, then the 535 is retried: the deployment is at fault, not the message', async () => {
    const templates = await loadTemplates();
    const smtp = await startSmtpServer({ credentials: { user: 'mailer', password: 's3cret' } });
    const channel = createSmtpEmailChannel({ url: smtp.url.replace('s3cret', 'wrong'), from: FROM, templates, timeouts: TIMEOUTS });

    const outcome = await channel.send(welcome(), signal());
    channel.close();
    await smtp.close();

    expect(outcome).toEqual({ status: 'retry', reason: expect.stringMatching(/^EAUTH: .*535/) as unknown });
    expect(smtp.received).toEqual([]);
  });

  it('given a sender without a domain, when the channel is made, then it refuses at once', async () => {
    const templates = await loadTemplates();

    expect(() => createSmtpEmailChannel({ url: 'smtp://127.0.0.1:25', from: 'MSA Shop', templates, timeouts: TIMEOUTS })).toThrow(
      'the sender "MSA Shop" has no address with a domain',
    );
  });
});
