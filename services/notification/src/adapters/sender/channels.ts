import type { SendOutcome } from '../../ports.js';
import type { Channels } from '../channels/channels.js';
import type { ClaimedDelivery } from '../postgres/ledger.js';


/** Sends one claimed delivery through its channel, as that channel's message. */
export function sendThrough(channels: Channels, delivery: ClaimedDelivery, signal: AbortSignal): Promise<SendOutcome> {
  const { idempotencyKey, template, data, recipient, heading = '' } = delivery;
  const base = { idempotencyKey, template, data };
  switch (delivery.channel) {
    case 'email':
      return channels.email.send({ ...base, to: recipient, subject: heading }, signal);
    case 'sms':
      return channels.sms.send({ ...base, to: recipient }, signal);
    case 'push': {
      if (delivery.pushKeys === undefined) return Promise.resolve({ status: 'rejected', reason: 'the push delivery has no subscription keys' });
      return channels.push.send({ ...base, title: heading, subscription: { endpoint: recipient, keys: delivery.pushKeys } }, signal);
    }
    default:
      return assertNever(delivery.channel);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled channel ${JSON.stringify(value)}`);
}
