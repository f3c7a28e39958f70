import { createHash } from 'node:crypto';
import webpush from 'web-push';
import type { PushChannel, PushMessage, SendOutcome } from '../../ports.js';
import { describeFetchFailure } from './fetch-failure.js';
import { retryAfterMs } from './retry-after.js';
import { TemplateError } from './template-errors.js';
import type { Templates } from './templates.js';
import { vapidKeysMatch } from './vapid-keys.js';

/** The application server's VAPID identity (RFC 8292), keys as base64url: 65-byte public point, 32-byte private scalar. */
export interface VapidIdentity {
  /** `mailto:` or `https:`, for the push service to reach the sender about its traffic. */
  readonly subject: string;
  readonly publicKey: string;
  readonly privateKey: string;
}

/** Options for `createWebPushChannel`. */
export interface WebPushChannelOptions {
  readonly vapid: VapidIdentity;
  readonly templates: Templates;
  /** The longest one request to the push service may take before it is abandoned and retried. */
  readonly timeoutMs: number;
  /** How long the push service keeps a message for a device that is offline. */
  readonly ttlSeconds: number;
}

/** What the service worker receives, as JSON: its `push` handler shows `title` and `body`. */
export interface PushPayload {
  readonly title: string;
  readonly body: string;
  readonly data: { readonly template: string; readonly idempotencyKey: string };
}

/** The reason given when the push service says the subscription no longer exists; the dispatcher deletes it. */
export const SUBSCRIPTION_GONE = 'subscription gone';

/**
 * A Web Push channel: web-push encrypts the payload (aes128gcm, RFC 8291) and signs the VAPID token,
 * Node's fetch delivers it, so the attempt is bounded by `timeoutMs` and the dispatcher's signal.
 * Each message carries a `Topic` derived from its idempotency key, so a resend replaces a copy the
 * push service still holds instead of adding a second notification.
 */
export function createWebPushChannel({ vapid, templates, timeoutMs, ttlSeconds }: WebPushChannelOptions): PushChannel {
  const vapidDetails = { subject: vapid.subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey };
  // Signing a token checks the identity: a bad subject or key stops start-up rather than every send.
  webpush.getVapidHeaders('https://push.example', vapid.subject, vapid.publicKey, vapid.privateKey, 'aes128gcm');
  if (!vapidKeysMatch(vapid.publicKey, vapid.privateKey)) throw new Error('the VAPID public key is not the private key’s public half');
  return {
    async send(message, signal) {
      let payload: PushPayload;
      try {
        payload = payloadOf(message, templates.push(message.template, message.data));
      } catch (error) {
        if (error instanceof TemplateError) return { status: 'rejected', reason: error.message };
        throw error;
      }
      let request: webpush.RequestDetails;
      try {
        request = webpush.generateRequestDetails({ endpoint: message.subscription.endpoint, keys: { ...message.subscription.keys } }, JSON.stringify(payload), {
          vapidDetails,
          TTL: ttlSeconds,
          contentEncoding: 'aes128gcm',
          topic: topicFor(message.idempotencyKey),
        });
      } catch (error) {
        // The subscription's keys or endpoint are unusable: no later attempt can encrypt to them either.
        return { status: 'rejected', reason: `subscription unusable: ${error instanceof Error ? error.message : String(error)}` };
      }
      let response: Response;
      try {
        response = await fetch(request.endpoint, {
          method: 'POST',
          headers: headersOf(request.headers),
          body: request.body,
          signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
        });
        // Read to the end even when unused, so the connection goes back to the pool.
        await response.arrayBuffer();
      } catch (error) {
        return { status: 'retry', reason: `push service unreachable: ${describeFetchFailure(error)}` };
      }
      return outcomeOf(response, request.endpoint);
    },
  };
}

/**
 * A push service's `Topic` for the message (RFC 8030 §5.4): at most 32 base64url characters, so the
 * first 32 of the key's SHA-256 in base64url (192 bits), the same for every attempt at one message.
 */
export function topicFor(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 32);
}

function payloadOf(message: PushMessage, body: string): PushPayload {
  return { title: message.title, body, data: { template: message.template, idempotencyKey: message.idempotencyKey } };
}

/**
 * 2xx is accepted (RFC 8030 answers 201 with the message's URL in `Location`). 404 and 410 say the
 * subscription expired or was unsubscribed. 429 and 5xx are the push service busy or down, as is 401
 * (RFC 8292: a token it could not accept, such as one signed by a clock that is off). Any other 4xx
 * refuses this message for good: too large (413), malformed (400), or a VAPID key the subscription
 * was not made with (403).
 */
function outcomeOf(response: Response, endpoint: string): SendOutcome {
  const { status } = response;
  if (status >= 200 && status < 300) return { status: 'sent', providerId: response.headers.get('location') ?? endpoint };
  if (status === 404 || status === 410) return { status: 'rejected', reason: SUBSCRIPTION_GONE };
  if (status === 401 || status === 429 || status >= 500) {
    const reason = `push service answered ${status}`;
    const wait = retryAfterMs(response.headers.get('retry-after'));
    return wait === undefined ? { status: 'retry', reason } : { status: 'retry', reason, retryAfterMs: wait };
  }
  return { status: 'rejected', reason: `push service refused the message: ${status}` };
}

/**
 * web-push gives TTL and Content-Length as numbers; fetch wants strings, and sets Content-Length
 * itself from the body.
 */
function headersOf(headers: Readonly<Record<string, string | number>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => name.toLowerCase() !== 'content-length')
      .map(([name, value]) => [name, String(value)]),
  );
}
