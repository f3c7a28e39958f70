/**
 * The channels the dispatcher sends through. Each adapter turns a rendered request into one delivery
 * attempt and says what became of it in the dispatcher's terms, so the retry policy lives in one place
 * (the dispatcher) and the provider's error vocabulary stays in its adapter.
 */

/** What one delivery attempt came to. */
export type SendOutcome =
  /** The provider accepted the message; `providerId` is its id for it (SMTP queue id, SMS sid, push URL). */
  | { readonly status: 'sent'; readonly providerId: string }
  /** Worth another attempt later: the provider is down, busy or timed out. */
  | { readonly status: 'retry'; readonly reason: string; readonly retryAfterMs?: number }
  /** Refused for good (an SMTP 5xx, an invalid number, a push subscription that is gone): never retried. */
  | { readonly status: 'rejected'; readonly reason: string };

/** Fields every channel's message carries. */
interface MessageBase {
  /**
   * `<triggering event id>:<channel>`: the same for every attempt at one message, so a provider that
   * honours idempotency (and the deterministic SMTP `Message-ID`) can tell a resend from a new message.
   */
  readonly idempotencyKey: string;
  /** The template's name, such as `welcome-email`; its files live in `templates/`. */
  readonly template: string;
  /** The values the template renders, already formatted as text. */
  readonly data: Readonly<Record<string, string>>;
}

/** An email to one address. */
export interface EmailMessage extends MessageBase {
  readonly to: string;
  readonly subject: string;
}

/** A text message to one E.164 number. */
export interface SmsMessage extends MessageBase {
  readonly to: string;
}

/** A Web Push subscription as the browser's `PushSubscription.toJSON()` gives it. */
export interface PushSubscription {
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
}

/** A Web Push message to one subscription. */
export interface PushMessage extends MessageBase {
  readonly subscription: PushSubscription;
  readonly title: string;
}

/** Sends one message by one channel; `signal` aborts an attempt that outlives its time. */
export interface Channel<M extends MessageBase> {
  send(message: M, signal: AbortSignal): Promise<SendOutcome>;
}

export type EmailChannel = Channel<EmailMessage>;
export type SmsChannel = Channel<SmsMessage>;
export type PushChannel = Channel<PushMessage>;
