import { createLogger } from '@msa/platform';
import { Registry } from 'prom-client';
import { eventually } from '@msa/local';
import { SUBSCRIPTION_GONE } from '../../../src/adapters/channels/web-push-channel.js';
import { deliveryMetrics } from '../../../src/adapters/sender/metrics.js';
import { createSender, type Sender, type SenderOptions } from '../../../src/adapters/sender/sender.js';
import type { DeliveryRequest } from '../../../src/domain/delivery.js';
import type { SendOutcome } from '../../../src/ports.js';
import { hangs, inMemoryChannels } from '../../support/in-memory-channels.js';
import { type InMemoryLedger, inMemoryLedger, type LedgerRow } from '../../support/in-memory-ledger.js';

const welcome: DeliveryRequest = {
  idempotencyKey: 'trigger-1:email',
  notificationId: '66666666-6666-4666-8666-666666666666',
  channel: 'email',
  recipient: 'minji@example.com',
  heading: 'Welcome to the shop',
  template: 'welcome-email',
  data: { name: 'Kim Minji' },
};
const keys = { p256dh: 'BPk', auth: 'YXV0aA' };
const push: DeliveryRequest = {
  idempotencyKey: 'trigger-1:push:abc',
  notificationId: '77777777-7777-4777-8777-777777777777',
  channel: 'push',
  recipient: 'https://push.example.com/gone',
  heading: 'Your payment receipt',
  pushKeys: keys,
  template: 'payment-receipt-push',
  data: { name: 'Kim Minji' },
};

const policy = { maxAttempts: 3, backoffBaseMs: 1_000, backoffMaxMs: 10_000, jitter: 0 };
const senders: Sender[] = [];

/** The welcome row once it is in `state`. */
function rowOnceIn(ledger: InMemoryLedger, state: LedgerRow['state']): Promise<LedgerRow> {
  return eventually(() => {
    const row = ledger.rows.get(welcome.idempotencyKey);
    return Promise.resolve(row?.state === state ? row : undefined);
  });
}

function start(options: Pick<SenderOptions, 'ledger' | 'channels'> & Partial<SenderOptions>): Sender {
  const sender = createSender({
    policy,
    logger: createLogger({ service: 'sender-spec', level: 'silent' }),
    pollIntervalMs: 60_000,
    batchSize: 10,
    attemptTimeoutMs: 200,
    leaseMs: 5_000,
    ...options,
  });
  senders.push(sender);
  sender.start();
  return sender;
}

afterEach(async () => {
  await Promise.all(senders.splice(0).map((sender) => sender.stop()));
});

describe('notification sender', () => {
  it('given a due email, when the channel accepts it, then it is sent once, as the ledger describes it, and recorded sent with the provider id', async () => {
    const ledger = inMemoryLedger();
    ledger.add(welcome);
    const channels = inMemoryChannels();

    start({ ledger, channels });

    const row = await rowOnceIn(ledger, 'sent');
    expect(row).toMatchObject({ attempts: 1, providerId: 'provider:trigger-1:email' });
    expect(channels.sent.email).toEqual([
      { idempotencyKey: 'trigger-1:email', template: 'welcome-email', data: { name: 'Kim Minji' }, to: 'minji@example.com', subject: 'Welcome to the shop' },
    ]);
  });

  it('given a channel that is down, when the backoff passes and it is back, then the message goes out on the next attempt', async () => {
    const ledger = inMemoryLedger();
    ledger.add(welcome);
    let down = true;
    const channels = inMemoryChannels({
      email: (message) => Promise.resolve(down ? { status: 'retry', reason: 'ECONNREFUSED' } : { status: 'sent', providerId: message.idempotencyKey }),
    });
    const sender = start({ ledger, channels });
    const row = () => ledger.rows.get(welcome.idempotencyKey);
    await eventually(() => Promise.resolve(row()?.state === 'pending' && row()?.attempts === 1 ? true : undefined));
    expect(row()).toMatchObject({ lastError: 'ECONNREFUSED', dueAt: 1_000 });

    down = false;
    sender.wake();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(row()?.state).toBe('pending');
    ledger.advance(1_000);
    sender.wake();

    await eventually(() => Promise.resolve(row()?.state === 'sent' ? true : undefined));
    expect(row()?.attempts).toBe(2);
    expect(channels.sent.email).toHaveLength(2);
  });

  it('given a channel that never answers, when the attempt outlives its timeout, then it is aborted and scheduled again', async () => {
    const ledger = inMemoryLedger();
    ledger.add(welcome);

    start({ ledger, channels: inMemoryChannels({ email: hangs }) });

    const row = await rowOnceIn(ledger, 'pending');
    expect(row.lastError).toMatch(/timed out/);
  });

  it('given a channel that throws, when sending, then the throw counts as a passing failure', async () => {
    const ledger = inMemoryLedger();
    ledger.add(welcome);

    start({ ledger, channels: inMemoryChannels({ email: () => Promise.reject(new Error('socket hang up')) }) });

    const row = await rowOnceIn(ledger, 'pending');
    expect(row.lastError).toBe('socket hang up');
  });

  it('given an SMTP refusal, when sending, then failed at once and never attempted again', async () => {
    const ledger = inMemoryLedger();
    ledger.add(welcome);
    const channels = inMemoryChannels({ email: () => Promise.resolve({ status: 'rejected', reason: '550 mailbox unavailable' }) });
    const sender = start({ ledger, channels });

    await eventually(() => Promise.resolve(ledger.rows.get(welcome.idempotencyKey)?.state === 'failed' ? true : undefined));
    ledger.advance(3_600_000);
    sender.wake();
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(channels.sent.email).toHaveLength(1);
    expect(ledger.rows.get(welcome.idempotencyKey)).toMatchObject({ state: 'failed', attempts: 1, lastError: '550 mailbox unavailable' });
  });

  it('given a channel that keeps failing, when the attempts run out, then the delivery is parked as failed', async () => {
    const ledger = inMemoryLedger();
    ledger.add(welcome);
    const sender = start({ ledger, channels: inMemoryChannels({ email: () => Promise.resolve({ status: 'retry', reason: '421 busy' }) }) });

    for (let attempt = 1; attempt < policy.maxAttempts; attempt += 1) {
      await eventually(() => Promise.resolve(ledger.rows.get(welcome.idempotencyKey)?.attempts === attempt ? true : undefined));
      ledger.advance(10_000);
      sender.wake();
    }

    const row = await rowOnceIn(ledger, 'failed');
    expect(row).toMatchObject({ attempts: 3, lastError: 'gave up after 3 attempts: 421 busy' });
  });

  it('given a push the push service refuses as gone, when sending, then failed and the subscription is forgotten', async () => {
    const ledger = inMemoryLedger();
    ledger.add(push);
    const gone: string[] = [];
    const channels = inMemoryChannels({ push: () => Promise.resolve({ status: 'rejected', reason: SUBSCRIPTION_GONE }) });

    start({ ledger, channels, subscriptionGone: (endpoint) => Promise.resolve(void gone.push(endpoint)) });

    await eventually(() => Promise.resolve(gone.length > 0 ? true : undefined));
    expect(gone).toEqual(['https://push.example.com/gone']);
    expect(channels.sent.push[0]).toMatchObject({ title: 'Your payment receipt', subscription: { endpoint: push.recipient, keys } });
    expect(ledger.rows.get(push.idempotencyKey)?.state).toBe('failed');
  });

  it('given a push the push service refuses for its content, when sending, then failed while the subscription stays', async () => {
    const ledger = inMemoryLedger();
    ledger.add(push);
    const gone: string[] = [];
    const channels = inMemoryChannels({ push: () => Promise.resolve({ status: 'rejected', reason: 'push service refused the message: 413' }) });

    start({ ledger, channels, subscriptionGone: (endpoint) => Promise.resolve(void gone.push(endpoint)) });

    await eventually(() => Promise.resolve(ledger.rows.get(push.idempotencyKey)?.state === 'failed' ? true : undefined));
    expect(gone).toEqual([]);
  });

  it('given an attempt still in flight when its lease ends, when the sender is woken again and again, then it does not claim that delivery a second time', async () => {
    const ledger = inMemoryLedger();
    ledger.add(welcome);
    let answer: ((outcome: SendOutcome) => void) | undefined;
    // A channel that ignores its signal, so the attempt outlives both its timeout and its lease.
    const channels = inMemoryChannels({
      email: () =>
        new Promise((resolve) => {
          answer = resolve;
        }),
    });
    const sender = start({ ledger, channels, pollIntervalMs: 10, leaseMs: 1_000 });
    await eventually(() => Promise.resolve(answer));

    ledger.advance(5_000);
    for (let i = 0; i < 5; i++) {
      sender.wake();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(channels.sent.email).toHaveLength(1);
    answer?.({ status: 'sent', providerId: 'Q1' });

    const row = await rowOnceIn(ledger, 'sent');
    expect(row).toMatchObject({ attempts: 1, providerId: 'Q1' });
    expect(channels.sent.email).toHaveLength(1);
  });

  it('given a sending attempt, when the sender stops, then stop returns within its bound and the row is left to its lease', async () => {
    const ledger = inMemoryLedger();
    ledger.add(welcome);
    const ignoresAbort = () => new Promise<never>(() => undefined);
    const sender = start({ ledger, channels: inMemoryChannels({ email: ignoresAbort }), attemptTimeoutMs: 100 });
    await eventually(() => Promise.resolve(ledger.rows.get(welcome.idempotencyKey)?.state === 'sending' ? true : undefined));

    const began = Date.now();
    await sender.stop();

    expect(Date.now() - began).toBeLessThan(1_000);
    expect(ledger.rows.get(welcome.idempotencyKey)?.state).toBe('sending');
  });

  it('given a stop that gave up on an attempt, when the provider accepts it before the stop ends, then the delivery is recorded sent rather than left to be sent again', async () => {
    const ledger = inMemoryLedger();
    ledger.add(welcome);
    // Ignores its signal and answers 250 ms after it began: after the stop abandons the round at 200 ms.
    const lateAccept = () => new Promise<SendOutcome>((resolve) => setTimeout(() => { resolve({ status: 'sent', providerId: 'Q-late' }); }, 250));
    const sender = start({ ledger, channels: inMemoryChannels({ email: lateAccept }), attemptTimeoutMs: 100 });
    await eventually(() => Promise.resolve(ledger.rows.get(welcome.idempotencyKey)?.state === 'sending' ? true : undefined));

    await sender.stop();

    expect(ledger.rows.get(welcome.idempotencyKey)).toMatchObject({ state: 'sent', providerId: 'Q-late' });
  });

  it('given a history sync that hangs, when deliveries keep coming, then each is sent without waiting for it, and only one sync runs', async () => {
    const ledger = inMemoryLedger();
    ledger.add(welcome);
    let syncs = 0;
    const sender = start({ ledger, channels: inMemoryChannels(), afterRound: () => new Promise<void>(() => void (syncs += 1)) });
    await rowOnceIn(ledger, 'sent');

    ledger.add({ ...welcome, idempotencyKey: 'trigger-2:email' });
    sender.wake();

    await eventually(() => Promise.resolve(ledger.rows.get('trigger-2:email')?.state === 'sent' ? true : undefined));
    expect(syncs).toBe(1);
  });

  it('given a sent and a refused message, when recorded, then the delivery counter and the attempt histogram say so by channel', async () => {
    const ledger = inMemoryLedger();
    ledger.add(welcome);
    ledger.add(push);
    const registry = new Registry();
    const channels = inMemoryChannels({ push: () => Promise.resolve({ status: 'rejected', reason: SUBSCRIPTION_GONE }) });

    start({ ledger, channels, metrics: deliveryMetrics(registry) });

    await eventually(() => Promise.resolve(ledger.rows.get(push.idempotencyKey)?.state === 'failed' ? true : undefined));
    await rowOnceIn(ledger, 'sent');
    const text = await registry.metrics();
    expect(text).toContain('notification_deliveries_total{channel="email",outcome="sent"} 1');
    expect(text).toContain('notification_deliveries_total{channel="push",outcome="failed"} 1');
    expect(text).toContain('notification_delivery_attempt_seconds_count{channel="email"} 1');
  });
});
