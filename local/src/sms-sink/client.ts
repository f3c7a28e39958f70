import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { localServers } from '../servers.js';
import { smsMessageSchema, type SmsMessage } from './messages.js';

const credentialsSchema = z.object({
  accountSid: z.string().regex(/^AC[0-9a-f]{32}$/),
  authToken: z.string().regex(/^[0-9a-f]{32}$/),
});
export type SmsSinkCredentials = z.infer<typeof credentialsSchema>;

/** Reads the account sid and auth token the local SMS sink accepts (local/up writes them). */
export function readSmsSinkCredentials(path = localServers().smsSinkCredentialsPath): SmsSinkCredentials {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`no SMS sink credentials at ${path}; run local/up --servers-only`, { cause: error });
  }
  return credentialsSchema.parse(JSON.parse(text));
}

const listSchema = z.object({ messages: z.array(smsMessageSchema) });
const deletedSchema = z.object({ deleted: z.number().int() });

/** Reads and clears what the local SMS sink received, for specs. */
export interface SmsSinkClient {
  /** Every message received, oldest first, or only those to `to` (E.164). */
  messages(to?: string): Promise<SmsMessage[]>;
  /** Forgets every message, or only those to `to`; resolves to how many. */
  clear(to?: string): Promise<number>;
}

/** A client of the SMS sink at `baseUrl`; every call gives up after `timeoutMs`. */
export function smsSinkClient(baseUrl = localServers().smsSinkUrl, timeoutMs = 5_000): SmsSinkClient {
  async function call(method: 'GET' | 'DELETE', to: string | undefined): Promise<unknown> {
    const url = new URL('/messages', baseUrl);
    if (to !== undefined) url.searchParams.set('to', to);
    const response = await fetch(url, { method, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`SMS sink ${method} ${url.pathname}: ${response.status} ${await response.text()}`);
    return response.json();
  }
  return {
    messages: async (to) => listSchema.parse(await call('GET', to)).messages,
    clear: async (to) => deletedSchema.parse(await call('DELETE', to)).deleted,
  };
}
