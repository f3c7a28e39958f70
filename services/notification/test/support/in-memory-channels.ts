import type { Channels } from '../../src/adapters/channels/channels.js';
import type { EmailMessage, PushMessage, SendOutcome, SmsMessage } from '../../src/ports.js';

/** How a fake channel answers one message. */
export type Answer<M> = (message: M, signal: AbortSignal) => Promise<SendOutcome>;

/** Channels that record what they were given and answer as the spec says. */
export interface InMemoryChannels extends Channels {
  readonly sent: { readonly email: EmailMessage[]; readonly sms: SmsMessage[]; readonly push: PushMessage[] };
}

const accept = (message: { readonly idempotencyKey: string }): Promise<SendOutcome> =>
  Promise.resolve({ status: 'sent', providerId: `provider:${message.idempotencyKey}` });

export function inMemoryChannels(
  answers: { email?: Answer<EmailMessage>; sms?: Answer<SmsMessage>; push?: Answer<PushMessage> } = {},
): InMemoryChannels {
  const sent = { email: [] as EmailMessage[], sms: [] as SmsMessage[], push: [] as PushMessage[] };
  return {
    sent,
    email: { send: (message, signal) => (sent.email.push(message), (answers.email ?? accept)(message, signal)) },
    sms: { send: (message, signal) => (sent.sms.push(message), (answers.sms ?? accept)(message, signal)) },
    push: { send: (message, signal) => (sent.push.push(message), (answers.push ?? accept)(message, signal)) },
    close: () => undefined,
  };
}

/** An answer that never comes unless the attempt is aborted, as a stalled server behaves. */
export const hangs = (_message: unknown, signal: AbortSignal): Promise<SendOutcome> =>
  new Promise((_, reject) => {
    signal.addEventListener('abort', () => {
      reject(new Error('aborted: the attempt timed out'));
    });
  });
