import { randomBytes } from 'node:crypto';
import type { EventOf } from '@msa/contracts';
import type { Principal } from '@msa/platform';
import webpush from 'web-push';
import { notificationStream } from '../src/domain/notification.js';
import { notificationIdFor } from '../src/domain/notification-id.js';
import { orderCancelled, passwordResetRequested, paymentCompleted, stockDepleted, userCreated, userUpdated } from './support/events.js';
import { startTestPushService, type TestPushService } from './support/push-service.js';
import { eventually, SERVER_TEST_TIMEOUT_MS, startNotificationService, type TestNotificationService } from './support/service.js';
import { mailTo, type RestartableSmtpServer, startSmtpServer } from './support/smtp-server.js';
import { startSmsProvider, type TestSmsProvider } from './adapters/channels/sms-provider.js';

interface HistoryItem {
  readonly id: string;
  readonly channel: string;
  readonly template: string;
  readonly status: string;
  readonly attempts: number;
  readonly lastError?: string;
}

const customer = (user: EventOf<'UserCreated'>): Principal => ({ userId: user.payload.userId, email: user.payload.email, roles: ['customer'] });
const ADMIN: Principal = { userId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', email: 'ops@example.com', roles: ['admin'] };

interface DeliveryRow {
  readonly idempotency_key: string;
  readonly state: string;
  readonly attempts: number;
  readonly last_error: string | null;
  readonly data: unknown;
}

describe('Notification service against PostgreSQL, Kafka, FerretDB and real SMTP, SMS and push servers', () => {
  const vapid = webpush.generateVAPIDKeys();
  let smtp: RestartableSmtpServer;
  let sms: TestSmsProvider;
  let push: TestPushService;
  let service: TestNotificationService;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    sms = await startSmsProvider();
    push = await startTestPushService({ vapidPublicKey: vapid.publicKey });
    service = await startNotificationService({ smtpUrl: smtp.url, smsUrl: sms.url, vapid, adminAlertEmails: ['ops@example.com', 'stock@example.com'] });
  }, SERVER_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await service.close();
    await push.close();
    await sms.close();
    await smtp.stop();
  }, SERVER_TEST_TIMEOUT_MS);

  const deliveriesOf = async (triggerId: string): Promise<DeliveryRow[]> =>
    (
      await service.pool.query<DeliveryRow>(
        "select idempotency_key, state, attempts, last_error, data from notification_deliveries where idempotency_key like $1 || ':%' order by idempotency_key",
        [triggerId],
      )
    ).rows;

  const historyOf = async (principal: Principal, query: Record<string, string> = {}) => {
    const res = await service.api().get('/api/notifications').query(query).set('authorization', await service.bearer(principal));
    return { status: res.status, items: (res.body as { items?: HistoryItem[] }).items ?? [] };
  };

  /** The history once its one item shows `status`. */
  const historyOnce = (principal: Principal, status: string) =>
    eventually(async () => {
      const { items } = await historyOf(principal);
      return items.length === 1 && items[0]?.status === status ? items : undefined;
    });

  it('given a started service, when readiness is asked, then PostgreSQL, MongoDB and both consumer groups are up', async () => {
    const ready = await service.api().get('/health/ready');

    expect(ready.status).toBe(200);
    const checks = (ready.body as { checks: { name: string; status: string }[] }).checks;
    expect(checks.map((c) => [c.name.replace(/\.[0-9a-f]{12}$/, ''), c.status])).toEqual([
      ['postgres', 'up'],
      ['kafka', 'up'],
      ['mongo', 'up'],
      ['kafka-consumer:notification.triggers', 'up'],
      ['kafka-consumer:notification.dispatcher', 'up'],
    ]);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a registration delivered twice, when both are consumed, then exactly one welcome mail arrives, and one notification is recorded', async () => {
    const user = userCreated('twice@example.com');

    await service.publish(user);
    await service.publish(user);

    const [mail] = await eventually(() => Promise.resolve(mailTo(smtp, 'twice@example.com').length > 0 ? mailTo(smtp, 'twice@example.com') : undefined));
    expect(mail?.subject).toBe('Welcome to the shop');
    expect(mail?.text).toContain('Kim Minji');
    const sent = await historyOnce(customer(user), 'sent');
    expect(sent).toEqual([expect.objectContaining({ id: notificationIdFor(user.eventId, 'email', user.payload.userId), channel: 'email', template: 'welcome-email', attempts: 1 })]);
    // The second copy was consumed too (both offsets committed), and a few sender rounds have passed.
    await eventually(async () => {
      const offsets = await service.consumedOffsets('notification.triggers', 'user.profile.created');
      return offsets >= 2 ? offsets : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mailTo(smtp, 'twice@example.com')).toHaveLength(1);
    expect(await service.eventsOf(notificationStream(sent[0]?.id ?? ''))).toBe(1);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a handled registration whose inbox rows were pruned, when it is delivered again, then the decider records nothing new and no second mail goes out', async () => {
    const user = userCreated('pruned@example.com');
    await service.publish(user);
    await historyOnce(customer(user), 'sent');
    const stream = notificationStream(notificationIdFor(user.eventId, 'email', user.payload.userId));
    expect(await service.eventsOf(stream)).toBe(1);

    await service.pool.query('delete from consumer_inbox where event_id = $1', [user.eventId]);
    await service.publish(user);

    // The triggers group handled the copy once its inbox row is back.
    await eventually(async () => {
      const { rows } = await service.pool.query<{ consumer_group: string }>('select consumer_group from consumer_inbox where event_id = $1', [user.eventId]);
      return rows.some((row) => row.consumer_group.startsWith('notification.triggers.')) ? true : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await service.eventsOf(stream)).toBe(1);
    expect(mailTo(smtp, 'pruned@example.com')).toHaveLength(1);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given the SMTP relay down, when a user registers and the relay comes back, then the mail arrives and its history counts the attempts', async () => {
    await smtp.stop();
    const user = userCreated('outage@example.com');
    try {
      await service.publish(user);
      const [waiting] = await eventually(async () => {
        const rows = await deliveriesOf(user.eventId);
        return rows[0] !== undefined && rows[0].attempts >= 2 && rows[0].state === 'pending' ? rows : undefined;
      });
      expect(waiting?.last_error).toMatch(/ECONNREFUSED|connect/i);
    } finally {
      await smtp.start();
    }

    await eventually(() => Promise.resolve(mailTo(smtp, 'outage@example.com').length === 1 ? true : undefined));
    const [item] = await historyOnce(customer(user), 'sent');
    expect(item?.attempts).toBeGreaterThanOrEqual(3);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given an address the relay refuses for good, when the welcome mail is sent, then it fails at once and is never tried again', async () => {
    smtp.refuse('bounce@example.com', 550);
    const user = userCreated('bounce@example.com');

    await service.publish(user);

    const [failed] = await historyOnce(customer(user), 'failed');
    expect(failed?.attempts).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await deliveriesOf(user.eventId)).toEqual([expect.objectContaining({ state: 'failed', attempts: 1, data: null })]);
    const asAdmin = await historyOf(ADMIN, { userId: user.payload.userId });
    expect(asAdmin.items[0]?.lastError).toMatch(/550/);
  }, SERVER_TEST_TIMEOUT_MS);

  it("given two customers, when one asks for the other's history, then 403, while an admin may read it", async () => {
    const mine = userCreated('mine@example.com');
    const theirs = userCreated('theirs@example.com');
    await service.publish(mine);
    await service.publish(theirs);
    await historyOnce(customer(theirs), 'sent');

    const prying = await historyOf(customer(mine), { userId: theirs.payload.userId });
    const admin = await historyOf(ADMIN, { userId: theirs.payload.userId });

    expect(prying.status).toBe(403);
    expect(admin.items.map((i) => i.template)).toEqual(['welcome-email']);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a reset request, when mailed, then the link reaches the inbox while neither the history nor the finished ledger row keeps the token', async () => {
    const user = userCreated('reset@example.com');
    const token = randomBytes(32).toString('base64url');
    await service.publish(user);
    await historyOnce(customer(user), 'sent');

    await service.publish(passwordResetRequested(user, token));

    const [mail] = await eventually(() => Promise.resolve(mailTo(smtp, 'reset@example.com').length === 2 ? mailTo(smtp, 'reset@example.com').slice(1) : undefined));
    expect(mail?.text).toContain(`https://shop.example.com/reset-password?token=${token}`);
    const items = await eventually(async () => {
      const { items: all } = await historyOf(customer(user));
      return all.length === 2 && all.every((i) => i.status === 'sent') ? all : undefined;
    });
    expect(items.map((i) => i.template)).toEqual(['password-reset-email', 'welcome-email']);
    const documents = await service.mongo.collection('notification_history').find({ userId: user.payload.userId }).toArray();
    expect(JSON.stringify(documents)).not.toContain(token);
    const { rows } = await service.pool.query("select count(*)::int as n from notification_deliveries where data::text like '%' || $1 || '%'", [token]);
    expect(rows).toEqual([{ n: 0 }]);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a user with a phone and a subscribed browser, when their payment completes, then the receipt goes by email, SMS and a push the browser can decrypt', async () => {
    const user = userCreated('receipt@example.com', '+821012345678');
    await service.publish(user);
    await historyOnce(customer(user), 'sent');
    const subscription = push.subscribe();
    const subscribed = await service
      .api()
      .post('/api/notifications/push-subscriptions')
      .set('authorization', await service.bearer(customer(user)))
      .send(subscription);
    expect(subscribed.status).toBe(201);

    await service.publish(paymentCompleted(user.payload.userId));

    await eventually(() => Promise.resolve(mailTo(smtp, 'receipt@example.com').length === 2 ? true : undefined));
    const texts = () => sms.received.filter((request) => request.form.get('To') === '+821012345678');
    const [text] = await eventually(() => Promise.resolve(texts().length > 0 ? texts() : undefined));
    expect(text?.form.get('Body')).toContain('₩91,800');
    const [pushed] = await eventually(() => Promise.resolve(push.received.some((p) => p.endpoint === subscription.endpoint) ? push.received.filter((p) => p.endpoint === subscription.endpoint) : undefined));
    expect(JSON.parse(pushed?.plaintext ?? '{}')).toMatchObject({ title: 'Your payment receipt' });
    expect(pushed?.plaintext).toContain('₩91,800');
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a subscription the push service says is gone, when a receipt is pushed, then the push fails and the subscription is forgotten', async () => {
    const user = userCreated('gone@example.com');
    await service.publish(user);
    await historyOnce(customer(user), 'sent');
    const subscription = push.subscribe();
    await service.api().post('/api/notifications/push-subscriptions').set('authorization', await service.bearer(customer(user))).send(subscription);
    push.unsubscribe(subscription);

    await service.publish(paymentCompleted(user.payload.userId));

    await eventually(async () => {
      const { items } = await historyOf(customer(user));
      return items.find((i) => i.channel === 'push')?.status === 'failed' ? true : undefined;
    });
    const { rows } = await service.pool.query('select count(*)::int as n from notification_push_subscriptions where user_id = $1', [user.payload.userId]);
    expect(rows).toEqual([{ n: 0 }]);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a user who moved to a new address and added a phone, when their order is cancelled, then the notice goes there and by SMS, with the reason in words', async () => {
    const user = userCreated('old@example.com');
    await service.publish(user);
    await historyOnce(customer(user), 'sent');
    await service.publish(userUpdated(user, 2, { email: 'new@example.com', phone: '+821099998888' }));
    // An older copy of the registration, replayed late, must not undo the change.
    await service.publish(user);
    await eventually(async () => {
      const { rows } = await service.pool.query<{ version: number }>('select version from notification_recipients where user_id = $1', [user.payload.userId]);
      return rows[0]?.version === 2 ? true : undefined;
    });

    await service.publish(orderCancelled(user.payload.userId));

    const [notice] = await eventually(() => Promise.resolve(mailTo(smtp, 'new@example.com').length > 0 ? mailTo(smtp, 'new@example.com') : undefined));
    expect(notice?.text).toContain('the payment did not go through');
    const texts = () => sms.received.filter((request) => request.form.get('To') === '+821099998888');
    await eventually(() => Promise.resolve(texts().length > 0 ? true : undefined));
    expect(mailTo(smtp, 'old@example.com')).toHaveLength(1);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given three notifications of one user, when paging two at a time, then the pages follow each other newest first and end without a cursor', async () => {
    const user = userCreated('pages@example.com');
    await service.publish(user);
    await historyOnce(customer(user), 'sent');
    for (const token of [randomBytes(32), randomBytes(32)]) {
      await service.publish(passwordResetRequested(user, token.toString('base64url')));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const everything = await eventually(async () => {
      const { items } = await historyOf(customer(user));
      return items.length === 3 ? items : undefined;
    });

    const first = await service.api().get('/api/notifications').query({ limit: 2 }).set('authorization', await service.bearer(customer(user)));
    const { items: firstItems, nextCursor } = first.body as { items: HistoryItem[]; nextCursor: string };
    const second = await service.api().get('/api/notifications').query({ limit: 2, cursor: nextCursor }).set('authorization', await service.bearer(customer(user)));

    expect([...firstItems, ...(second.body as { items: HistoryItem[] }).items].map((i) => i.id)).toEqual(everything.map((i) => i.id));
    expect(everything.map((i) => i.template)).toEqual(['password-reset-email', 'password-reset-email', 'welcome-email']);
    expect(second.body).not.toHaveProperty('nextCursor');
  }, SERVER_TEST_TIMEOUT_MS);

  it('given depleted stock, when consumed, then each admin address gets one alert', async () => {
    const depleted = stockDepleted();

    await service.publish(depleted);

    for (const address of ['ops@example.com', 'stock@example.com']) {
      const [alert] = await eventually(() => Promise.resolve(mailTo(smtp, address).length > 0 ? mailTo(smtp, address) : undefined));
      expect(alert?.text).toContain(depleted.payload.productId);
    }
    expect((await deliveriesOf(depleted.eventId)).map((d) => d.state)).toEqual(['sent', 'sent']);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given messages sent and refused so far, when /metrics is read, then the delivery counter shows both outcomes', async () => {
    const metrics = await service.api().get('/metrics');

    expect(metrics.text).toMatch(/notification_deliveries_total\{channel="email",outcome="sent"\} [1-9]/);
    expect(metrics.text).toMatch(/notification_deliveries_total\{channel="email",outcome="failed"\} [1-9]/);
  }, SERVER_TEST_TIMEOUT_MS);

  // Last: the triggers group waits out the receipt's retries (about 7 s) before anything else flows.
  it('given a receipt for a user not among the recipients, when its retries run out, then it is dead-lettered and its key parked, and nothing is sent', async () => {
    const user = userCreated('late@example.com');
    const receipt = paymentCompleted(user.payload.userId);

    await service.publish(receipt);

    const parked = await eventually(async () => {
      const { rows } = await service.pool.query<{ consumer_group: string; dead_lettered: number }>(
        'select consumer_group, dead_lettered from consumer_parked_keys where message_key = $1',
        [receipt.aggregateId],
      );
      return rows.length > 0 ? rows : undefined;
    });
    expect(parked.map((row) => [row.consumer_group.split('.').slice(0, 2).join('.'), row.dead_lettered])).toEqual([['notification.triggers', 1]]);
    expect(await deliveriesOf(receipt.eventId)).toEqual([]);
  }, SERVER_TEST_TIMEOUT_MS);
});
