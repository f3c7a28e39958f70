import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createEvent, type EventOf } from '@msa/contracts';
import { createTestDatabase, eventually, type TestDatabase } from '@msa/local';
import { createLogger, createPool, migrate } from '@msa/platform';
import type pg from 'pg';
import { createSmtpEmailChannel, type SmtpEmailChannel } from '../../../src/adapters/channels/smtp-email-channel.js';
import { loadTemplates } from '../../../src/adapters/channels/templates.js';
import { ledgerOn, recordRequested } from '../../../src/adapters/postgres/ledger.js';
import { notificationMigrations } from '../../../src/adapters/postgres/schema.js';
import { createSender, type Sender } from '../../../src/adapters/sender/sender.js';
import { deliveriesFor } from '../../../src/domain/delivery.js';
import { inMemoryChannels } from '../../support/in-memory-channels.js';
import { SERVER_TEST_TIMEOUT_MS } from '../../support/service.js';

const SERVER = new URL('../../support/slow-smtp-process.ts', import.meta.url);
const logger = createLogger({ service: 'sender-freeze-int', level: 'silent' });

/** Freezes this process with SIGSTOP for `ms`, as a node under memory pressure or a debugger does; a shell outside it sends SIGCONT. */
function freezeFor(ms: number): void {
  spawn('sh', ['-c', `kill -STOP ${String(process.pid)}; sleep ${String(ms / 1_000)}; kill -CONT ${String(process.pid)}`], { detached: true, stdio: 'ignore' }).unref();
}

describe('notification sender frozen mid-send', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let server: ChildProcess;
  let email: SmtpEmailChannel;
  const received: number[] = [];
  let sender: Sender | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('notification_freeze');
    pool = createPool({ connectionString: database.url, applicationName: 'notification-freeze-test', logger });
    await migrate(pool, notificationMigrations);
    // The 250 comes 300 ms after the final dot: while this process is frozen.
    const child = spawn(process.execPath, [SERVER.pathname, '300'], { stdio: ['ignore', 'pipe', 'inherit'] });
    server = child;
    const lines = createInterface({ input: child.stdout });
    const port = await new Promise<number>((resolve) => {
      lines.on('line', (line) => {
        const [word, value] = line.split(' ');
        if (word === 'listening') resolve(Number(value));
        if (word === 'received') {
          received.push(Number(value));
          if (received.length === 1) freezeFor(2_000);
        }
      });
    });
    email = createSmtpEmailChannel({
      url: `smtp://127.0.0.1:${String(port)}`,
      from: 'MSA Shop <no-reply@shop.example>',
      templates: await loadTemplates(),
      timeouts: { connectionMs: 5_000, greetingMs: 5_000, socketMs: 10_000 },
    });
  }, SERVER_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await sender?.stop();
    email.close();
    server.kill();
    await once(server, 'exit');
    await pool.end();
    await database.drop();
  }, SERVER_TEST_TIMEOUT_MS);

  it('given the process frozen past the attempt timeout while the relay accepts the mail, when it wakes with the 250 already arrived, then the mail counts as sent and is not sent again', async () => {
    const requested: EventOf<'NotificationRequested'> = createEvent({
      eventType: 'NotificationRequested',
      eventId: randomUUID(),
      version: 1,
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      payload: { channel: 'email', notificationId: randomUUID(), userId: randomUUID(), to: 'frozen@example.com', subject: 'Welcome', template: 'welcome-email', templateData: { name: 'Kim Minji' } },
    });
    await recordRequested(pool, requested, deliveriesFor(requested, []));
    const { sms, push } = inMemoryChannels();
    sender = createSender({
      ledger: ledgerOn(pool),
      channels: { email, sms, push, close: () => undefined },
      policy: { maxAttempts: 5, backoffBaseMs: 100, backoffMaxMs: 500, jitter: 0 },
      logger,
      pollIntervalMs: 50,
      batchSize: 5,
      // Shorter than the freeze: by the wall clock the attempt is over when the process wakes.
      attemptTimeoutMs: 1_000,
      leaseMs: 10_000,
    });
    sender.start();

    const delivery = await eventually(async () => {
      const { rows } = await pool.query<{ state: string; attempts: number }>('select state, attempts from notification_deliveries where notification_id = $1', [
        requested.payload.notificationId,
      ]);
      return rows[0]?.state === 'sent' ? rows[0] : undefined;
    });

    expect(delivery.attempts).toBe(1);
    expect(received).toEqual([1]);
  }, SERVER_TEST_TIMEOUT_MS);
});
