import type { EmailChannel, PushChannel, SmsChannel } from '../../ports.js';
import type { ChannelConfig } from './config.js';
import { createHttpSmsChannel } from './http-sms-channel.js';
import { createSmtpEmailChannel } from './smtp-email-channel.js';
import type { Templates } from './templates.js';
import { createWebPushChannel } from './web-push-channel.js';

/** The three channels the dispatcher sends through; `close` ends the SMTP pool's connections. */
export interface Channels {
  readonly email: EmailChannel;
  readonly sms: SmsChannel;
  readonly push: PushChannel;
  close(): void;
}

/**
 * Builds the channels from the loaded configuration and the compiled templates. Nothing connects
 * yet: the SMTP pool opens its first connection on the first email.
 *
 * @throws Error when the sender address or the VAPID identity cannot be used.
 */
export function createChannels(config: ChannelConfig, templates: Templates): Channels {
  const email = createSmtpEmailChannel({
    url: config.SMTP_URL.reveal(),
    from: config.SMTP_FROM,
    templates,
    timeouts: { connectionMs: config.SMTP_CONNECTION_TIMEOUT, greetingMs: config.SMTP_GREETING_TIMEOUT, socketMs: config.SMTP_SOCKET_TIMEOUT },
  });
  const sms = createHttpSmsChannel({
    apiUrl: config.SMS_API_URL,
    accountId: config.SMS_ACCOUNT_ID,
    authToken: config.SMS_AUTH_TOKEN.reveal(),
    from: config.SMS_FROM,
    templates,
    timeoutMs: config.SMS_TIMEOUT,
  });
  const push = createWebPushChannel({
    vapid: { subject: config.VAPID_SUBJECT, publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY.reveal() },
    templates,
    timeoutMs: config.PUSH_TIMEOUT,
    ttlSeconds: Math.floor(config.PUSH_TTL / 1_000),
  });
  return {
    email,
    sms,
    push,
    close() {
      email.close();
    },
  };
}
