import { within } from '@msa/local';
import webpush from 'web-push';
import { loadTemplates, type Templates } from '../../../src/adapters/channels/templates.js';
import { createWebPushChannel, SUBSCRIPTION_GONE, topicFor, type PushPayload } from '../../../src/adapters/channels/web-push-channel.js';
import type { PushChannel, PushMessage, PushSubscription } from '../../../src/ports.js';
import { startTestPushService, type TestPushService } from '../../support/push-service.js';
import { sampleData } from './fixtures.js';

const vapidKeys = webpush.generateVAPIDKeys();
const VAPID = { subject: 'mailto:ops@shop.example', publicKey: vapidKeys.publicKey, privateKey: vapidKeys.privateKey };
const signal = () => AbortSignal.timeout(10_000);

function receiptTo(subscription: PushSubscription, overrides: Partial<PushMessage> = {}): PushMessage {
  return {
    idempotencyKey: '0193a7c3-1a2b-7c3d-8e4f-5a6b7c8d9e0f:push:0',
    template: 'payment-receipt-push',
    data: sampleData('payment-receipt-push'),
    title: 'Payment received',
    subscription,
    ...overrides,
  };
}

describe('Web Push channel', () => {
  let templates: Templates;
  let pushService: TestPushService;
  let channel: PushChannel;
  beforeAll(async () => {
    templates = await loadTemplates();
    pushService = await startTestPushService({ vapidPublicKey: VAPID.publicKey });
    channel = createWebPushChannel({ vapid: VAPID, templates, timeoutMs: 1_000, ttlSeconds: 3_600 });
  });
  afterAll(async () => {
    await pushService.close();
  });

  it('given a receipt, when pushed, then the push service verifies the VAPID token, decrypts the aes128gcm body to the payload, and its URL comes back', async () => {
    const subscription = pushService.subscribe();
    const message = receiptTo(subscription);

    const outcome = await channel.send(message, signal());

    expect(outcome).toEqual({ status: 'sent', providerId: expect.stringMatching(new RegExp(`^${pushService.origin}/messages/`)) as unknown });
    expect(pushService.refused).toEqual([]);
    const [push] = pushService.received.filter(({ endpoint }) => endpoint === subscription.endpoint);
    expect(JSON.parse(push?.plaintext ?? 'null')).toEqual({
      title: 'Payment received',
      body: templates.push('payment-receipt-push', sampleData('payment-receipt-push')),
      data: { template: 'payment-receipt-push', idempotencyKey: message.idempotencyKey },
    } satisfies PushPayload);
    expect(push?.claims).toMatchObject({ aud: pushService.origin, sub: 'mailto:ops@shop.example' });
    expect(push).toMatchObject({ ttl: '3600', urgency: 'normal', topic: topicFor(message.idempotencyKey) });
  });

  it('given the same message pushed twice, when both arrive, then they share one Topic of at most 32 base64url characters, and another key gets another', async () => {
    const subscription = pushService.subscribe();

    await channel.send(receiptTo(subscription, { idempotencyKey: 'evt-1:push:0' }), signal());
    await channel.send(receiptTo(subscription, { idempotencyKey: 'evt-1:push:0' }), signal());
    await channel.send(receiptTo(subscription, { idempotencyKey: 'evt-2:push:0' }), signal());

    const topics = pushService.received.filter(({ endpoint }) => endpoint === subscription.endpoint).map(({ topic }) => topic);
    expect(topics).toEqual([topicFor('evt-1:push:0'), topicFor('evt-1:push:0'), topicFor('evt-2:push:0')]);
    expect(topics[0]).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(topics[0]).not.toBe(topics[2]);
  });

  it('given markup in the data, when pushed, then the body carries it as text for the service worker to show', async () => {
    const subscription = pushService.subscribe();
    const data = { ...sampleData('order-cancelled-push'), detail: '<b>out of stock</b>' };

    await channel.send(receiptTo(subscription, { template: 'order-cancelled-push', data, title: 'Order cancelled' }), signal());

    const [push] = pushService.received.filter(({ endpoint }) => endpoint === subscription.endpoint);
    expect((JSON.parse(push?.plaintext ?? '{}') as PushPayload).body).toContain('<b>out of stock</b>');
  });

  it.each([404, 410])('given a push service answering %i, when pushed, then the subscription is gone', async (status) => {
    const subscription = pushService.subscribe();
    pushService.answer(subscription, { status });

    expect(await channel.send(receiptTo(subscription), signal())).toEqual({ status: 'rejected', reason: SUBSCRIPTION_GONE });
  });

  it('given an expired subscription, when pushed, then the push service’s 410 rejects it as gone', async () => {
    const subscription = pushService.subscribe();
    pushService.unsubscribe(subscription);

    expect(await channel.send(receiptTo(subscription), signal())).toEqual({ status: 'rejected', reason: SUBSCRIPTION_GONE });
  });

  it('given a 429 with Retry-After, when pushed, then it is retried after the wait asked for', async () => {
    const subscription = pushService.subscribe();
    pushService.answer(subscription, { status: 429, headers: { 'retry-after': '30' } });

    expect(await channel.send(receiptTo(subscription), signal())).toEqual({ status: 'retry', reason: 'push service answered 429', retryAfterMs: 30_000 });
  });

  it.each([401, 500, 502])('given a %i, when pushed, then it is retried on the dispatcher’s own backoff', async (status) => {
    const subscription = pushService.subscribe();
    pushService.answer(subscription, { status });

    expect(await channel.send(receiptTo(subscription), signal())).toEqual({ status: 'retry', reason: `push service answered ${status}` });
  });

  it('given a payload the push service finds too large, when pushed, then its 413 rejects the message for good', async () => {
    const subscription = pushService.subscribe();
    pushService.answer(subscription, { status: 413 });

    expect(await channel.send(receiptTo(subscription), signal())).toEqual({ status: 'rejected', reason: 'push service refused the message: 413' });
  });

  it('given a channel signing with another VAPID key, when pushed, then the push service’s 403 rejects it', async () => {
    const other = webpush.generateVAPIDKeys();
    const stranger = createWebPushChannel({ vapid: { ...VAPID, ...other }, templates, timeoutMs: 1_000, ttlSeconds: 60 });
    const subscription = pushService.subscribe();

    expect(await stranger.send(receiptTo(subscription), signal())).toEqual({ status: 'rejected', reason: 'push service refused the message: 403' });
    expect(pushService.refused.filter(({ endpoint }) => endpoint === subscription.endpoint)).toEqual([
      { endpoint: subscription.endpoint, status: 403, reason: 'the VAPID key is not the one the subscription was made for' },
    ]);
  });

  it('given a push service that never answers, when pushed, then the request times out and is retried', async () => {
    const subscription = pushService.subscribe();
    pushService.answer(subscription, 'hang');

    const outcome = await within(3_000, channel.send(receiptTo(subscription), signal()));

    expect(outcome).toEqual({ status: 'retry', reason: expect.stringMatching(/^push service unreachable: TimeoutError/) as unknown });
  });

  it('given a push service that never answers, when the dispatcher’s signal fires first, then the attempt ends as a retry', async () => {
    const subscription = pushService.subscribe();
    pushService.answer(subscription, 'hang');
    const patient = createWebPushChannel({ vapid: VAPID, templates, timeoutMs: 30_000, ttlSeconds: 60 });

    const outcome = await within(3_000, patient.send(receiptTo(subscription), AbortSignal.timeout(200)));

    expect(outcome).toMatchObject({ status: 'retry' });
  });

  it('given data the template lacks, when pushed, then it is rejected naming the key and nothing is sent', async () => {
    const subscription = pushService.subscribe();

    const outcome = await channel.send(receiptTo(subscription, { data: { name: 'Ada' } }), signal());

    expect(outcome).toEqual({ status: 'rejected', reason: 'template payment-receipt-push: the data lacks "orderId", "paymentId", "amount", "method"' });
    expect(pushService.received.filter(({ endpoint }) => endpoint === subscription.endpoint)).toEqual([]);
  });

  it('given a subscription whose key is not a P-256 point, when pushed, then it is rejected as unusable', async () => {
    const subscription = pushService.subscribe();
    const broken = { ...subscription, keys: { ...subscription.keys, p256dh: 'AAAA' } };

    expect(await channel.send(receiptTo(broken), signal())).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^subscription unusable: /) as unknown });
  });

  it('given nothing listening, when pushed, then the refused connection is retried', async () => {
    const gone = await startTestPushService({ vapidPublicKey: VAPID.publicKey });
    const subscription = gone.subscribe();
    await gone.close();

    const outcome = await within(3_000, channel.send(receiptTo(subscription), signal()));

    expect(outcome).toEqual({ status: 'retry', reason: expect.stringMatching(/^push service unreachable: TypeError fetch failed: .*ECONNREFUSED/) as unknown });
  });

  it('given a VAPID subject that is neither mailto: nor https:, when the channel is made, then it refuses at once', () => {
    expect(() => createWebPushChannel({ vapid: { ...VAPID, subject: 'ops@shop.example' }, templates, timeoutMs: 1_000, ttlSeconds: 60 })).toThrow(/subject/);
  });
});

describe('The test push service', () => {
  let pushService: TestPushService;
  beforeAll(async () => {
    pushService = await startTestPushService({ vapidPublicKey: VAPID.publicKey });
  });
  afterAll(async () => {
    await pushService.close();
  });

  /** A push as web-push builds it, for a spec to tamper with before sending it by hand. */
  function pushRequest(subscription: PushSubscription, audienceOf: PushSubscription = subscription) {
    const details = webpush.generateRequestDetails({ endpoint: audienceOf.endpoint, keys: { ...subscription.keys } }, 'hello', {
      vapidDetails: VAPID,
      contentEncoding: 'aes128gcm',
    });
    return { headers: { authorization: details.headers.Authorization ?? '', 'content-encoding': 'aes128gcm' }, body: details.body };
  }

  it('given a body altered on the way, when pushed, then it refuses it as undecryptable', async () => {
    const subscription = pushService.subscribe();
    const { headers, body } = pushRequest(subscription);
    const tampered = Buffer.from(body);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 0xff;

    const response = await fetch(subscription.endpoint, { method: 'POST', headers, body: tampered });

    expect(response.status).toBe(400);
    expect(pushService.refused.at(-1)).toMatchObject({ endpoint: subscription.endpoint, reason: expect.stringMatching(/^body does not decrypt/) as unknown });
  });

  it('given a VAPID token made for another origin, when pushed, then it refuses it with 401', async () => {
    const subscription = pushService.subscribe();
    const { headers, body } = pushRequest(subscription, { ...subscription, endpoint: 'https://push.example/elsewhere' });

    const response = await fetch(subscription.endpoint, { method: 'POST', headers, body });

    expect(response.status).toBe(401);
    expect(pushService.refused.at(-1)).toMatchObject({ reason: expect.stringMatching(/^the VAPID token does not verify: .*aud/) as unknown });
  });

  it('given an untouched push, when sent by hand, then it decrypts to the text', async () => {
    const subscription = pushService.subscribe();
    const { headers, body } = pushRequest(subscription);

    const response = await fetch(subscription.endpoint, { method: 'POST', headers, body });

    expect(response.status).toBe(201);
    expect(pushService.received.at(-1)).toMatchObject({ endpoint: subscription.endpoint, plaintext: 'hello' });
  });
});
