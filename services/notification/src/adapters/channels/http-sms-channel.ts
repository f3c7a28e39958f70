import { z } from 'zod';
import type { SendOutcome, SmsChannel } from '../../ports.js';
import { describeFetchFailure } from './fetch-failure.js';
import { retryAfterMs } from './retry-after.js';
import { TemplateError } from './template-errors.js';
import type { Templates } from './templates.js';

/** Options for `createHttpSmsChannel`. */
export interface HttpSmsChannelOptions {
  /** The provider's base URL, such as `https://api.twilio.com`. */
  readonly apiUrl: string;
  /** The account the messages are sent from (Twilio's account SID); the Basic auth user. */
  readonly accountId: string;
  /** The account's secret; the Basic auth password. */
  readonly authToken: string;
  /** The sending number, E.164. */
  readonly from: string;
  readonly templates: Templates;
  /** The longest one request may take, response included, before it is abandoned and retried. */
  readonly timeoutMs: number;
}

/** The idempotency header of Twilio's API: a repeated token within a day returns the first request's reply. */
export const SMS_IDEMPOTENCY_HEADER = 'I-Twilio-Idempotency-Token';

const createdMessage = z.object({ sid: z.string().min(1) });
const providerError = z.object({ code: z.number(), message: z.string() });

/**
 * An SMS channel on a provider shaped like Twilio's Messages API: one form-encoded `POST
 * /2010-04-01/Accounts/{accountId}/Messages.json` per message, its idempotency key as the provider's
 * idempotency token, so a retried attempt never sends a second text.
 */
export function createHttpSmsChannel({ apiUrl, accountId, authToken, from, templates, timeoutMs }: HttpSmsChannelOptions): SmsChannel {
  const base = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
  const endpoint = new URL(`2010-04-01/Accounts/${encodeURIComponent(accountId)}/Messages.json`, base);
  const authorization = `Basic ${Buffer.from(`${accountId}:${authToken}`).toString('base64')}`;
  return {
    async send(message, signal) {
      let body: string;
      try {
        body = templates.sms(message.template, message.data);
      } catch (error) {
        if (error instanceof TemplateError) return { status: 'rejected', reason: error.message };
        throw error;
      }
      let response: Response;
      let reply: string;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: {
            authorization,
            accept: 'application/json',
            'content-type': 'application/x-www-form-urlencoded',
            [SMS_IDEMPOTENCY_HEADER]: message.idempotencyKey,
          },
          body: new URLSearchParams({ To: message.to, From: from, Body: body }),
          signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
        });
        // Read to the end even when unused, so the connection goes back to the pool.
        reply = await response.text();
      } catch (error) {
        return { status: 'retry', reason: `SMS provider unreachable: ${describeFetchFailure(error)}` };
      }
      return outcomeOf(response, reply);
    },
  };
}

/**
 * 2xx with a sid is sent. 429 and 5xx, and 408, are the provider busy or down: retried, as its
 * `Retry-After` asks. 401 is retried too: bad credentials are the deployment's fault, and the text
 * should go once they are fixed. Any other 4xx refuses this message for good (an invalid or
 * unreachable number, a blocked region) and says the provider's error code and message.
 */
function outcomeOf(response: Response, reply: string): SendOutcome {
  const { status } = response;
  if (status >= 200 && status < 300) {
    const created = createdMessage.safeParse(parseJson(reply));
    // Without a sid the outcome is unknown; the idempotency token makes asking again safe.
    if (created.success) return { status: 'sent', providerId: created.data.sid };
    return { status: 'retry', reason: `SMS provider answered ${status} without a message sid` };
  }
  const error = providerError.safeParse(parseJson(reply));
  const detail = error.success ? `${status} error ${error.data.code}: ${error.data.message}` : `${status}`;
  if (status === 401 || status === 408 || status === 429 || status >= 500) {
    const wait = retryAfterMs(response.headers.get('retry-after'));
    const reason = `SMS provider answered ${detail}`;
    return wait === undefined ? { status: 'retry', reason } : { status: 'retry', reason, retryAfterMs: wait };
  }
  return { status: 'rejected', reason: `SMS provider refused the message: ${detail}` };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
