import { randomUUID } from 'node:crypto';
import { createEvent, type EventOf } from '@msa/contracts';
import { createTestDatabase, createTestMongoDatabase, eventually, localServers, type TestDatabase, type TestMongoDatabase } from '@msa/local';
import { createLogger, createMongoClient, createPool, migrate } from '@msa/platform';
import type pg from 'pg';
import { createSmtpEmailChannel, type SmtpEmailChannel } from '../../../src/adapters/channels/smtp-email-channel.js';
import { loadTemplates } from '../../../src/adapters/channels/templates.js';
import { createHistorySync, historyCollection } from '../../../src/adapters/mongo/history.js';
import { type DeliveryLedger, ledgerOn, recordRequested } from '../../../src/adapters/postgres/ledger.js';
import { notificationMigrations } from '../../../src/adapters/postgres/schema.js';
import { createSender, type Sender } from '../../../src/adapters/sender/sender.js';
import { deliveriesFor } from '../../../src/domain/delivery.js';
import { inMemoryChannels } from '../../support/in-memory-channels.js';
import { SERVER_TEST_TIMEOUT_MS } from '../../support/service.js';
import { mailTo, type RestartableSmtpServer, startSmtpServer } from '../../support/smtp-server.js';
import { startTcpForwarder } from '../../support/tcp-forwarder.js';

const logger = createLogger({ service: 'sender-int', level: 'silent' });
const policy = { maxAttempts: 5, backoffBaseMs: 100, backoffMaxMs: 500, jitter: 0 };

function welcomeRequested(to: string, userId: string = randomUUID()): EventOf<'NotificationRequested'> {
  const notificationId = randomUUID();
  return createEvent({
    eventType: 'NotificationRequested',
    eventId: randomUUID(),
    version: 1,
    occurredAt: new Date().toISOString(),
    correlationId: randomUUID(),
    // The trigger: what the delivery's idempotency key, and so the Message-ID, derive from.
    causationId: randomUUID(),
    payload: { channel: 'email', notificationId, userId, to, subject: 'Welcome to the shop', template: 'welcome-email', templateData: { name: 'Kim Minji' } },
  });
}

describe('notification sender on the PostgreSQL ledger', () => {
  let database: TestDatabase;
  let mongo: TestMongoDatabase;
  let pool: pg.Pool;
  let smtp: RestartableSmtpServer;
  let email: SmtpEmailChannel;
  const senders: Sender[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('notification_sender');
    mongo = await createTestMongoDatabase('notification_sender');
    pool = createPool({ connectionString: database.url, applicationName: 'notification-sender-test', logger });
    await migrate(pool, notificationMigrations);
    smtp = await startSmtpServer();
    email = createSmtpEmailChannel({
      url: smtp.url,
      from: 'MSA Shop <no-reply@shop.example>',
      templates: await loadTemplates(),
      timeouts: { connectionMs: 1_000, greetingMs: 1_000, socketMs: 2_000 },
    });
  }, SERVER_TEST_TIMEOUT_MS);

  afterEach(async () => {
    await Promise.all(senders.splice(0).map((sender) => sender.stop()));
  });

  afterAll(async () => {
    email.close();
    await smtp.stop();
    await pool.end();
    await mongo.drop();
    await database.drop();
  }, SERVER_TEST_TIMEOUT_MS);

  // Attempts get seconds, so a loaded machine does not time out a send the relay took and send it
  // again; the crash spec waits out the lease, which is just longer.
  function start(ledger: DeliveryLedger, leaseMs = 6_000): Sender {
    const { sms, push } = inMemoryChannels();
    const sender = createSender({
      ledger,
      // The SMTP pool outlives each sender here: the spec closes it once, after all of them.
      channels: { email, sms, push, close: () => undefined },
      policy,
      logger,
      pollIntervalMs: 50,
      batchSize: 5,
      attemptTimeoutMs: 5_000,
      leaseMs,
      afterRound: createHistorySync({ pool, db: mongo.db }),
    });
    senders.push(sender);
    sender.start();
    return sender;
  }

  async function request(to: string, userId?: string): Promise<EventOf<'NotificationRequested'>> {
    const requested = welcomeRequested(to, userId);
    await recordRequested(pool, requested, deliveriesFor(requested, []));
    return requested;
  }

  it('given the SMTP relay accepted a mail but the sent record failed, when another sender takes the row after its lease, then the resend carries the same Message-ID and the history shows one sent notification', async () => {
    const userId = randomUUID();
    const requested = await request('crash@example.com', userId);
    const real = ledgerOn(pool);
    // The process dies between the relay's 250 and the `sent` record: here, that sender's record never lands.
    const crashing: DeliveryLedger = {
      claimDue: (limit, leaseMs) => real.claimDue(limit, leaseMs),
      record: (delivery, step) => (step.state === 'sent' ? Promise.reject(new Error('the ledger write failed')) : real.record(delivery, step)),
    };
    const first = start(crashing);
    await eventually(() => Promise.resolve(mailTo(smtp, 'crash@example.com').length === 1 ? true : undefined));
    await first.stop();
    const { rows: stuck } = await pool.query<{ state: string }>('select state from notification_deliveries where notification_id = $1', [requested.payload.notificationId]);
    expect(stuck).toEqual([{ state: 'sending' }]);

    start(real);

    const mails = await eventually(() => Promise.resolve(mailTo(smtp, 'crash@example.com').length === 2 ? mailTo(smtp, 'crash@example.com') : undefined));
    expect(mails[0]?.messageId).toBeDefined();
    expect(mails[1]?.messageId).toBe(mails[0]?.messageId);
    const history = await eventually(async () => {
      const documents = await historyCollection(mongo.db).find({ _id: requested.payload.notificationId }).toArray();
      return documents[0]?.status === 'sent' ? documents : undefined;
    });
    expect(history).toEqual([expect.objectContaining({ status: 'sent', attempts: 2, deliveries: 1 })]);
    expect(await historyCollection(mongo.db).countDocuments({ userId })).toBe(1);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given PostgreSQL out of reach from the moment the relay accepts a mail until a second later, when the sender records the outcome, then it records it once PostgreSQL is back and never sends the mail again', async () => {
    const server = new URL(database.url);
    const forwarder = await startTcpForwarder(server.hostname, Number(server.port));
    const forwarded = new URL(database.url);
    forwarded.hostname = '127.0.0.1';
    forwarded.port = String(forwarder.port);
    const reachable = createPool({ connectionString: forwarded.toString(), applicationName: 'notification-sender-test', logger });
    try {
      const requested = await request('pg-restart@example.com');
      // As PostgreSQL restarting right after the relay's 250: the sender's connections end and new ones are refused.
      smtp.beforeAccepting(async () => {
        smtp.beforeAccepting(undefined);
        await forwarder.down();
        setTimeout(() => void forwarder.up(), 1_000);
      });
      const leaseMs = 3_000;
      start(ledgerOn(reachable), leaseMs);

      const delivery = await eventually(async () => {
        const { rows } = await pool.query<{ state: string; attempts: number }>('select state, attempts from notification_deliveries where notification_id = $1', [
          requested.payload.notificationId,
        ]);
        return rows[0]?.state === 'sent' ? rows[0] : undefined;
      });
      // Past the lease, a forgotten outcome would have been claimed and mailed again by now.
      await new Promise((resolve) => setTimeout(resolve, leaseMs + 1_000));

      expect(delivery.attempts).toBe(1);
      expect(mailTo(smtp, 'pg-restart@example.com')).toHaveLength(1);
    } finally {
      smtp.beforeAccepting(undefined);
      await Promise.all(senders.splice(0).map((sender) => sender.stop()));
      await reachable.end();
      await forwarder.down();
    }
  }, SERVER_TEST_TIMEOUT_MS);

  it('given the relay queues a mail but its 250 never comes, when the socket times out, then the outcome is unknown, the mail is sent again and both copies carry the same Message-ID', async () => {
    const requested = await request('lost-reply@example.com');
    // The server has the whole message and stays silent, as one whose reply was lost after the final dot.
    smtp.beforeAccepting(() => {
      smtp.beforeAccepting(undefined);
      return new Promise<void>(() => undefined);
    });
    start(ledgerOn(pool));

    const delivery = await eventually(async () => {
      const { rows } = await pool.query<{ state: string; attempts: number }>('select state, attempts from notification_deliveries where notification_id = $1', [
        requested.payload.notificationId,
      ]);
      return rows[0]?.state === 'sent' ? rows[0] : undefined;
    });

    const mails = mailTo(smtp, 'lost-reply@example.com');
    expect(delivery.attempts).toBe(2);
    expect(mails).toHaveLength(2);
    expect(mails[0]?.messageId).toMatch(/^<[0-9a-f]{32}@shop\.example>$/);
    expect(mails[1]?.messageId).toBe(mails[0]?.messageId);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given two senders on one ledger, when twenty mails are due, then each goes out exactly once', async () => {
    const addresses = Array.from({ length: 20 }, (_, i) => `shared-${i}@example.com`);
    for (const address of addresses) await request(address);

    start(ledgerOn(pool));
    start(ledgerOn(pool));

    await eventually(async () => {
      const { rows } = await pool.query<{ n: number }>("select count(*)::int as n from notification_deliveries where recipient like 'shared-%' and state = 'sent'");
      return rows[0]?.n === 20 ? true : undefined;
    });
    expect(addresses.map((address) => mailTo(smtp, address).length)).toEqual(addresses.map(() => 1));
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a request recorded twice, when the ledger takes it, then the second inserts nothing', async () => {
    const requested = welcomeRequested('again@example.com');

    const first = await recordRequested(pool, requested, deliveriesFor(requested, []));
    const second = await recordRequested(pool, requested, deliveriesFor(requested, []));

    expect([first, second]).toEqual([1, 0]);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a sent mail, when its trigger is handled again and requests it under a new event id, then the ledger inserts nothing and the mail is not sent again', async () => {
    const requested = await request('redelivered@example.com');
    start(ledgerOn(pool));
    await eventually(() => Promise.resolve(mailTo(smtp, 'redelivered@example.com').length === 1 ? true : undefined));
    await eventually(async () => {
      const { rows } = await pool.query<{ state: string }>('select state from notification_deliveries where notification_id = $1', [requested.payload.notificationId]);
      return rows[0]?.state === 'sent' ? true : undefined;
    });

    // Another copy of the request: its own event id, the same trigger (causation) and payload.
    const again: EventOf<'NotificationRequested'> = { ...requested, eventId: randomUUID() };
    const inserted = await recordRequested(pool, again, deliveriesFor(again, []));
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(inserted).toBe(0);
    expect(mailTo(smtp, 'redelivered@example.com')).toHaveLength(1);
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a synced history, when its documents are lost and their history_revision is reset to 0, then one sync rebuilds the same documents', async () => {
    const userId = randomUUID();
    const requests = [await request('rebuild-1@example.com', userId), await request('rebuild-2@example.com', userId)];
    start(ledgerOn(pool));
    const history = historyCollection(mongo.db);
    const synced = await eventually(async () => {
      const documents = await history.find({ userId }).sort({ _id: 1 }).toArray();
      return documents.length === 2 && documents.every((d) => d.status === 'sent') ? documents : undefined;
    });
    await Promise.all(senders.splice(0).map((sender) => sender.stop()));

    await history.deleteMany({ userId });
    await pool.query('update notification_notifications set history_revision = 0 where user_id = $1', [userId]);
    await createHistorySync({ pool, db: mongo.db })();

    expect(await history.find({ userId }).sort({ _id: 1 }).toArray()).toEqual(synced);
    expect(synced.map((d) => d._id).sort()).toEqual(requests.map((r) => r.payload.notificationId).sort());
  }, SERVER_TEST_TIMEOUT_MS);

  it('given MongoDB unreachable, when mails are due, then they are sent all the same and the history catches up once MongoDB is back', async () => {
    const mongoServer = new URL(localServers().mongoUrl);
    const forwarder = await startTcpForwarder(mongoServer.hostname, Number(mongoServer.port));
    const client = createMongoClient(`mongodb://127.0.0.1:${forwarder.port}/`, { appName: 'notification-sender-test', timeoutMs: 500 });
    const { sms, push } = inMemoryChannels();
    try {
      await client.connect();
      await forwarder.down();
      const requested = await request('mongo-down@example.com');
      const sender = createSender({
        ledger: ledgerOn(pool),
        channels: { email, sms, push, close: () => undefined },
        policy,
        logger,
        pollIntervalMs: 50,
        batchSize: 5,
        attemptTimeoutMs: 5_000,
        leaseMs: 6_000,
        afterRound: createHistorySync({ pool, db: client.db(mongo.name) }),
      });
      senders.push(sender);
      sender.start();

      await eventually(() => Promise.resolve(mailTo(smtp, 'mongo-down@example.com').length === 1 ? true : undefined));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const history = historyCollection(mongo.db);
      expect(await history.countDocuments({ _id: requested.payload.notificationId })).toBe(0);

      await forwarder.up();

      const shown = await eventually(async () => (await history.findOne({ _id: requested.payload.notificationId, status: 'sent' })) ?? undefined);
      expect(shown.attempts).toBe(1);
    } finally {
      await Promise.all(senders.splice(0).map((sender) => sender.stop()));
      await client.close();
      await forwarder.down();
    }
  }, SERVER_TEST_TIMEOUT_MS);
});
