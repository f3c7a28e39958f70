import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on an ephemeral port that keeps what it receives and refuses the recipients it is told to. */
export interface TestSmtpServer {
  readonly url: string;
  readonly received: { readonly mail: ParsedMail; readonly user: string | undefined }[];
  /** Replies to RCPT TO for `address` with `code` instead of accepting it. */
  refuse(address: string, code: number): void;
  close(): Promise<void>;
}

export async function startSmtpServer({ credentials }: { credentials?: { user: string; password: string } } = {}): Promise<TestSmtpServer> {
  const received: TestSmtpServer['received'][number][] = [];
  const refusals = new Map<string, number>();
  let queued = 0;
  const server = new SMTPServer({
    disabledCommands: credentials ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: credentials === undefined,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials?.user && auth.password === credentials?.password) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('invalid credentials'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      const code = refusals.get(address.address);
      callback(code === undefined ? null : Object.assign(new Error(`mailbox ${address.address} refused`), { responseCode: code }));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ mail, user: typeof session.user === 'string' ? session.user : undefined });
          queued += 1;
          callback(null, `Ok: queued as Q${queued}`);
        })
        .catch(callback);
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  const auth = credentials ? `${credentials.user}:${credentials.password}@` : '';
  return {
    url: `smtp://${auth}127.0.0.1:${port}`,
    received,
    refuse(address, code) {
      refusals.set(address, code);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
