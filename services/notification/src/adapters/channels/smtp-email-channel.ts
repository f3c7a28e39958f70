import { createHash } from 'node:crypto';
import { createTransport } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { EmailChannel, SendOutcome } from '../../ports.js';
import { TemplateError } from './template-errors.js';
import type { Templates } from './templates.js';

/** How long the SMTP client waits at each step before it gives up and the attempt is retried. */
export interface SmtpTimeouts {
  /** For the host name to resolve, and then for the TCP (and TLS) connection to open. */
  readonly connectionMs: number;
  /** For the server's 220 greeting once connected. */
  readonly greetingMs: number;
  /** For the server to answer any command: a silent socket is closed after this long. */
  readonly socketMs: number;
}

/** Options for `createSmtpEmailChannel`. */
export interface SmtpEmailChannelOptions {
  /** `smtp://host:port` (STARTTLS when offered) or `smtps://host:port`, with `user:password@` when the server wants it. */
  readonly url: string;
  /** The sender, `no-reply@shop.example` or `MSA Shop <no-reply@shop.example>`; its domain names the Message-IDs. */
  readonly from: string;
  readonly templates: Templates;
  readonly timeouts: SmtpTimeouts;
  /**
   * Connections the pool keeps open to the server.
   * @default 5
   */
  readonly maxConnections?: number;
}

/** The email channel over SMTP; `close` ends the pool's connections. */
export interface SmtpEmailChannel extends EmailChannel {
  close(): void;
}

/** The header that carries the message's idempotency key, for a receiving system that dedupes on it. */
export const IDEMPOTENCY_HEADER = 'X-Idempotency-Key';

/** The fields of nodemailer's errors this adapter reads. */
interface SmtpFailure {
  readonly code?: string | undefined;
  readonly responseCode?: number | undefined;
  readonly response?: string | undefined;
  readonly message: string;
}

/**
 * An email channel on a pooled nodemailer SMTP transport. Each message is sent with both parts of its
 * template and a `Message-ID` derived from its idempotency key, so every attempt at one message carries
 * the same id and a mailbox or relay that dedupes on it keeps one copy.
 */
export function createSmtpEmailChannel({ url, from, templates, timeouts, maxConnections = 5 }: SmtpEmailChannelOptions): SmtpEmailChannel {
  const domain = senderDomain(from);
  const transport = createTransport({
    url,
    pool: true,
    maxConnections,
    // The host name's lookup is bounded apart from the connection; give it the same bound.
    dnsTimeout: timeouts.connectionMs,
    connectionTimeout: timeouts.connectionMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
  });
  return {
    async send(message, signal) {
      let parts;
      try {
        parts = templates.email(message.template, message.data);
      } catch (error) {
        if (error instanceof TemplateError) return { status: 'rejected', reason: error.message };
        throw error;
      }
      try {
        const info = await transport.sendMail({
          from,
          to: message.to,
          subject: message.subject,
          html: parts.html,
          text: parts.text,
          messageId: messageIdFor(message.idempotencyKey, domain),
          headers: { [IDEMPOTENCY_HEADER]: message.idempotencyKey },
          signal,
        });
        return { status: 'sent', providerId: queueIdOf(info.response) ?? info.messageId };
      } catch (error) {
        return outcomeOf(typeof error === 'object' && error !== null ? (error as SmtpFailure) : { message: String(error) });
      }
    },
    close() {
      transport.close();
    },
  };
}

/** `<first 32 hex digits of sha256(key)>@<domain>`: the same for every attempt at one message, unique across messages. */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@${domain}>`;
}

/**
 * What an SMTP failure comes to. A 5xx reply refuses this message for good (RFC 5321), except 503,
 * which says the session was out of step and a new connection may succeed. Everything else (4xx
 * replies, refused or reset connections, timeouts at connect, greeting or any command, an aborted
 * attempt) may succeed later. So may a failed login: the credentials are the deployment's fault, not
 * the message's, and the message should go once they are fixed.
 */
function outcomeOf(error: SmtpFailure): SendOutcome {
  const { code, responseCode } = error;
  const reason = `${code ?? 'SMTP'}: ${error.response ?? error.message}`;
  // An envelope nodemailer refuses before sending (an address it cannot use) fails the same way every time.
  if (code === 'EENVELOPE' && responseCode === undefined) return { status: 'rejected', reason };
  if (code === 'EAUTH' || code === 'ENOAUTH' || responseCode === undefined) return { status: 'retry', reason };
  if (responseCode >= 500 && responseCode < 600 && responseCode !== 503) return { status: 'rejected', reason };
  return { status: 'retry', reason };
}

/** The server's queue id from a `250 ... queued as <id>` reply, when it gives one. */
function queueIdOf(response: string): string | undefined {
  return /queued as ([^\s>]+)/i.exec(response)?.[1];
}

function senderDomain(from: string): string {
  const [sender] = addressparser(from, { flatten: true });
  const domain = sender?.address.split('@')[1];
  if (domain === undefined || domain === '') throw new Error(`the sender "${from}" has no address with a domain`);
  return domain;
}
