import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server the spec can stop and start again on the same port, as a relay that goes down and comes back. */
export interface RestartableSmtpServer {
  /** `smtp://127.0.0.1:<port>`, the same across restarts. */
  readonly url: string;
  /** Every message it accepted, oldest first. */
  readonly received: ParsedMail[];
  /** Answers RCPT TO for `address` with `code` (a 5xx refuses it for good). */
  refuse(address: string, code: number): void;
  /** Runs `hook` after each message is received and before the server answers 250 for it; `undefined` removes it. */
  beforeAccepting(hook: (() => Promise<void>) | undefined): void;
  /** Stops listening: connections are refused until `start`. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Starts the server on a free port. */
export async function startSmtpServer(): Promise<RestartableSmtpServer> {
  const received: ParsedMail[] = [];
  const refusals = new Map<string, number>();
  let beforeAccepting: (() => Promise<void>) | undefined;
  let port = 0;
  let server: SMTPServer | undefined;

  async function start(): Promise<void> {
    const listening = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      onRcptTo(address, _session, callback) {
        const code = refusals.get(address.address);
        callback(code === undefined ? null : Object.assign(new Error(`mailbox ${address.address} unavailable`), { responseCode: code }));
      },
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then(async (mail) => {
            received.push(mail);
            await beforeAccepting?.();
            callback(null, `Ok: queued as Q${received.length}`);
          })
          .catch(callback);
      },
    });
    listening.listen(port, '127.0.0.1');
    await once(listening.server, 'listening');
    port = (listening.server.address() as AddressInfo).port;
    server = listening;
  }

  await start();
  return {
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    received,
    refuse(address, code) {
      refusals.set(address, code);
    },
    beforeAccepting(hook) {
      beforeAccepting = hook;
    },
    start,
    async stop() {
      const stopping = server;
      server = undefined;
      await new Promise<void>((resolve) => {
        if (stopping === undefined) resolve();
        else stopping.close(resolve);
      });
    },
  };
}

/** The messages sent to `address`. */
export function mailTo(server: RestartableSmtpServer, address: string): ParsedMail[] {
  return server.received.filter((mail) => {
    const to = Array.isArray(mail.to) ? mail.to : mail.to === undefined ? [] : [mail.to];
    return to.some((group) => group.value.some((entry) => entry.address?.toLowerCase() === address.toLowerCase()));
  });
}
