import { type ConsumerGroup, type DomainEvent, topicFor } from '@msa/contracts';
import type { Principal, Service } from '@msa/platform';
import { startTestService } from '@msa/platform/testing';
import type { Db } from 'mongodb';
import type pg from 'pg';
import type request from 'supertest';
import webpush from 'web-push';
import { type ChannelsFactory, notificationService } from '../../src/app.js';
import { type NotificationConfig, notificationConfigSchema } from '../../src/config.js';

export { eventually } from '@msa/local';

/** Time a test against the servers may take; passed to each hook and test, as jest reads `testTimeout` only from the root config. */
export const SERVER_TEST_TIMEOUT_MS = 60_000;

/** A notification service built in-process against the local servers, with a database, topics and groups of its own. */
export interface TestNotificationService {
  readonly app: Service;
  readonly config: NotificationConfig;
  /** The service's database, for assertions on the ledger. */
  readonly pool: pg.Pool;
  /** The history's database. */
  readonly mongo: Db;
  /** Publishes `event` where its producer's outbox would, keyed by its aggregate, once per call. */
  publish(event: DomainEvent): Promise<void>;
  /** The sum of `group`'s committed offsets on `topic`: how many of its messages the group is done with. */
  consumedOffsets(group: ConsumerGroup, topic: string): Promise<number>;
  /** How many events the stream holds. */
  eventsOf(streamId: string): Promise<number>;
  /** An `Authorization` header value for `principal`, signed as the user service signs. */
  bearer(principal: Principal): Promise<string>;
  api(): ReturnType<typeof request>;
  close(): Promise<void>;
}

/** Options for `startNotificationService`. */
export interface TestServiceOptions {
  /** The SMTP relay. */
  readonly smtpUrl: string;
  /** The SMS provider. */
  readonly smsUrl: string;
  /** The VAPID identity; a fresh one by default. */
  readonly vapid?: { readonly publicKey: string; readonly privateKey: string };
  readonly adminAlertEmails?: readonly string[];
  /** Other variables, as strings. */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default the configured channels */
  readonly channels?: ChannelsFactory;
}

/**
 * Starts the service as main.ts would, in-process, with a sender that polls fast and backs off in
 * milliseconds, so a spec sees retries within seconds; `LOG_LEVEL` from the environment (silent by default).
 */
export async function startNotificationService(options: TestServiceOptions): Promise<TestNotificationService> {
  const vapid = options.vapid ?? webpush.generateVAPIDKeys();
  const definition = notificationService(options.channels === undefined ? {} : { channels: options.channels });
  const harness = await startTestService(
    definition,
    notificationConfigSchema,
    {
      APP_BASE_URL: 'https://shop.example.com',
      ADMIN_ALERT_EMAILS: (options.adminAlertEmails ?? []).join(','),
      SMTP_URL: options.smtpUrl,
      SMTP_FROM: 'MSA Shop <no-reply@shop.example>',
      SMS_API_URL: options.smsUrl,
      SMS_ACCOUNT_ID: 'AC-test',
      SMS_AUTH_TOKEN: 'test-token',
      SMS_FROM: '+15005550006',
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:ops@shop.example',
      PUSH_ALLOW_LOOPBACK_HTTP: 'true',
      SENDER_POLL_INTERVAL: '100ms',
      SENDER_BACKOFF_BASE: '200ms',
      SENDER_BACKOFF_MAX: '1s',
      SENDER_ATTEMPT_TIMEOUT: '10s',
      SENDER_LEASE: '15s',
    },
    { environment: options.environment },
  );
  const { namespace, admin, store } = harness;
  const producer = harness.kafka.producer();
  await producer.connect();

  return {
    app: harness.service,
    config: harness.config,
    pool: harness.pool,
    mongo: harness.mongo.db,
    async publish(event) {
      await producer.send({ topic: `${topicFor(event)}.${namespace}`, messages: [{ key: event.aggregateId, value: JSON.stringify(event) }] });
    },
    async consumedOffsets(group, topic) {
      const [offsets] = await admin.fetchOffsets({ groupId: `${group}.${namespace}`, topics: [`${topic}.${namespace}`] });
      return (offsets?.partitions ?? []).reduce((sum, { offset }) => sum + Math.max(0, Number(offset)), 0);
    },
    async eventsOf(streamId) {
      return (await store.readStream(streamId)).events.length;
    },
    bearer: harness.bearer,
    api: harness.api,
    async close() {
      await producer.disconnect();
      await harness.close();
    },
  };
}
