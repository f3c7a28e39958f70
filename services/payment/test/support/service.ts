import { type DomainEvent, topicFor } from '@msa/contracts';
import type { EventStore, Logger, Principal, Service } from '@msa/platform';
import { startTestService } from '@msa/platform/testing';
import type { Db } from 'mongodb';
import type pg from 'pg';
import type request from 'supertest';
import { paymentService, type PaymentServiceOptions } from '../../src/app.js';
import { type PaymentConfig, paymentConfigSchema } from '../../src/config.js';

export { eventually } from '@msa/local';

/** Time a test against the servers may take; passed to each hook and test, as jest reads `testTimeout` only from the root config. */
export const SERVER_TEST_TIMEOUT_MS = 60_000;

/** A payment service built in-process against the local servers, with a database, topics and groups of its own. */
export interface TestPaymentService {
  readonly app: Service;
  readonly config: PaymentConfig;
  /** The service's database: its event store, its jobs and the sandbox's books. */
  readonly pool: pg.Pool;
  readonly mongo: Db;
  /** The service's event store, for what a spec sets up as an earlier life of the service left it. */
  readonly store: EventStore;
  readonly logger: Logger;
  /** Publishes `event` where its producer's outbox would, keyed by its aggregate, once per call. */
  publish(event: DomainEvent): Promise<void>;
  /** The event types of a stream, in order. */
  eventTypesOf(streamId: string): Promise<string[]>;
  bearer(principal: Principal): Promise<string>;
  api(): ReturnType<typeof request>;
  close(): Promise<void>;
}

/**
 * Starts the service as main.ts would, in-process, on the sandbox gateway, with a worker that polls
 * fast, backs off in milliseconds and gives a call half a second, so a spec sees retries and parking
 * within seconds; `LOG_LEVEL` from the environment (silent by default).
 */
export async function startPaymentService(options: PaymentServiceOptions & { readonly environment?: Readonly<Record<string, string>> } = {}): Promise<TestPaymentService> {
  const harness = await startTestService(
    paymentService(options),
    paymentConfigSchema,
    {
      PAYMENT_GATEWAY: 'sandbox',
      PAYMENT_GATEWAY_TIMEOUT: '500ms',
      PAYMENT_WORKER_POLL_INTERVAL: '100ms',
      PAYMENT_MAX_ATTEMPTS: '3',
      PAYMENT_BACKOFF_BASE: '100ms',
      PAYMENT_BACKOFF_MAX: '300ms',
      PAYMENT_LEASE: '2s',
    },
    { environment: options.environment },
  );
  const { namespace, store } = harness;
  const producer = harness.kafka.producer();
  await producer.connect();
  return {
    app: harness.service,
    config: harness.config,
    pool: harness.pool,
    mongo: harness.mongo.db,
    store,
    logger: harness.logger,
    async publish(event) {
      await producer.send({ topic: `${topicFor(event)}.${namespace}`, messages: [{ key: event.aggregateId, value: JSON.stringify(event) }] });
    },
    async eventTypesOf(streamId) {
      return (await store.readStream(streamId)).events.map((event) => event.eventType);
    },
    bearer: harness.bearer,
    api: harness.api,
    async close() {
      await producer.disconnect();
      await harness.close();
    },
  };
}
