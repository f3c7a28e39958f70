import { z } from 'zod';
import { localServers } from './servers.js';
import { eventually } from './waiting.js';

/**
 * The domain local Mailpit refuses at RCPT TO with a permanent `550 5.1.0`: any address in the
 * reserved top-level domain .invalid (RFC 2606) is, so this one reads as what it is for.
 */
export const REFUSED_EMAIL_DOMAIN = 'refused.invalid';

const addressSchema = z.object({ Name: z.string(), Address: z.string() }).transform((a) => ({
  name: a.Name,
  address: a.Address,
}));
const addresses = z
  .array(addressSchema)
  .nullable()
  .transform((list) => list ?? []);

const summarySchema = z
  .object({
    ID: z.string(),
    MessageID: z.string(),
    From: addressSchema.nullable(),
    To: addresses,
    Cc: addresses,
    Bcc: addresses,
    Subject: z.string(),
    Created: z.string(),
    Snippet: z.string(),
  })
  .transform((m) => ({
    id: m.ID,
    messageId: m.MessageID,
    from: m.From,
    to: m.To,
    cc: m.Cc,
    bcc: m.Bcc,
    subject: m.Subject,
    created: new Date(m.Created),
    snippet: m.Snippet,
  }));
const searchSchema = z.object({ messages: z.array(summarySchema) });

const messageSchema = z
  .object({
    ID: z.string(),
    MessageID: z.string(),
    From: addressSchema.nullable(),
    To: addresses,
    Cc: addresses,
    Bcc: addresses,
    ReplyTo: addresses,
    Subject: z.string(),
    Date: z.string(),
    Text: z.string(),
    HTML: z.string(),
  })
  .transform((m) => ({
    id: m.ID,
    messageId: m.MessageID,
    from: m.From,
    to: m.To,
    cc: m.Cc,
    bcc: m.Bcc,
    replyTo: m.ReplyTo,
    subject: m.Subject,
    date: new Date(m.Date),
    text: m.Text,
    html: m.HTML,
  }));
const headersSchema = z.record(z.string(), z.array(z.string()));

export type MailAddress = z.infer<typeof addressSchema>;
/** A mail as Mailpit lists it. */
export type MailSummary = z.infer<typeof summarySchema>;
/** A mail as Mailpit reads it: its parts decoded, and every header by name, each with all its values. */
export type Mail = z.infer<typeof messageSchema> & { readonly headers: Readonly<Record<string, string[]>> };

/** Reads and deletes the mails local Mailpit caught, through its REST API (/api/v1). */
export interface MailpitClient {
  /** Mails to `to` (To, Cc or Bcc; or all mails), oldest first, at most `limit` of the newest. */
  messages(options?: { readonly to?: string; readonly limit?: number }): Promise<MailSummary[]>;
  /** One mail by its Mailpit id, with its text and HTML parts and its headers. */
  message(id: string): Promise<Mail>;
  /** The newest mail to `to`, waiting up to `timeoutMs` for one to arrive. */
  awaitMessage(to: string, timeoutMs?: number): Promise<Mail>;
  /** Deletes the mails to `to` (To, Cc or Bcc), and no others. */
  deleteMessages(to: string): Promise<void>;
  /** Deletes every mail: on the shared local Mailpit, other specs' mails too. */
  deleteAll(): Promise<void>;
}

/** A client of the Mailpit at `baseUrl`; every call gives up after `timeoutMs`. */
export function mailpitClient(baseUrl = localServers().mailpitUrl, timeoutMs = 5_000): MailpitClient {
  async function call(
    method: 'GET' | 'DELETE',
    path: string,
    query: Record<string, string> = {},
    body?: unknown,
  ): Promise<unknown> {
    const url = new URL(`/api/v1/${path}`, baseUrl);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const response = await fetch(url, {
      method,
      signal: AbortSignal.timeout(timeoutMs),
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`Mailpit ${method} ${url.pathname}: ${response.status} ${await response.text()}`);
    return response.headers.get('content-type')?.startsWith('application/json') ? response.json() : response.text();
  }
  // Mailpit's addressed: search looks at To, Cc and Bcc (and From and Reply-To) and matches part of
  // an address (ada@ also finds bada@), so its results are narrowed to the exact recipient.
  const toQuery = (to: string): string => `addressed:"${to}"`;
  const sentTo = (summary: MailSummary, to: string): boolean =>
    [...summary.to, ...summary.cc, ...summary.bcc].some((a) => a.address.toLowerCase() === to.toLowerCase());

  const client: MailpitClient = {
    async messages({ to, limit = 100 } = {}) {
      const found =
        to === undefined
          ? await call('GET', 'messages', { limit: String(limit) })
          : await call('GET', 'search', { query: toQuery(to), limit: String(limit) });
      const { messages } = searchSchema.parse(found);
      // Mailpit lists the newest first.
      return messages.filter((summary) => to === undefined || sentTo(summary, to)).reverse();
    },
    async message(id) {
      const [message, headers] = await Promise.all([
        call('GET', `message/${encodeURIComponent(id)}`),
        call('GET', `message/${encodeURIComponent(id)}/headers`),
      ]);
      return { ...messageSchema.parse(message), headers: headersSchema.parse(headers) };
    },
    async awaitMessage(to, waitMs = 10_000) {
      const summary = await eventually(async () => (await client.messages({ to })).at(-1), waitMs);
      return client.message(summary.id);
    },
    async deleteMessages(to) {
      const ids = (await client.messages({ to, limit: 10_000 })).map((summary) => summary.id);
      // Mailpit deletes every mail when it is given no ids.
      if (ids.length > 0) await call('DELETE', 'messages', {}, { IDs: ids });
    },
    async deleteAll() {
      await call('DELETE', 'messages', {}, {});
    },
  };
  return client;
}
