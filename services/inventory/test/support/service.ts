import { randomUUID } from 'node:crypto';
import { type DomainEvent, topicFor } from '@msa/contracts';
import { createService, type EventStore, type Logger, type Service } from '@msa/platform';
import { startTestService } from '@msa/platform/testing';
import type { Admin } from 'kafkajs';
import type pg from 'pg';
import type request from 'supertest';
import { inventoryService } from '../../src/app.js';
import { type InventoryConfig, inventoryConfigSchema } from '../../src/config.js';

export { eventually } from '@msa/local';

/** Time a test against the servers may take; passed to each hook and test, as jest reads `testTimeout` only from the root config. */
export const SERVER_TEST_TIMEOUT_MS = 120_000;

/**
 * An inventory service built in-process against the local servers, with a database, topics and
 * group of its own, and a second replica on the same database and group, so the group's partitions
 * are shared between two consumers handling messages at the same time.
 */
export interface TestInventoryService {
  readonly config: InventoryConfig;
  /** The service's database and an event store over it, for assertions. */
  readonly pool: pg.Pool;
  readonly store: EventStore;
  readonly logger: Logger;
  /** Publishes `events` where their producers' outboxes would, keyed by aggregate, in one send per topic. */
  publish(...events: readonly DomainEvent[]): Promise<void>;
  /** Resolves once the reservation group has committed every message sent so far to `topic`. */
  drained(topic: string): Promise<void>;
  /** How many messages the catalog `topic` holds. */
  published(topic: string): Promise<number>;
  /** An admin's `Authorization` header. */
  asAdmin(): Promise<string>;
  api(): ReturnType<typeof request>;
  close(): Promise<void>;
}

/** Starts the service and its replica as main.ts would, in-process; `LOG_LEVEL` from the environment (silent by default). */
export async function startInventoryService(environment: Readonly<Record<string, string>> = {}): Promise<TestInventoryService> {
  const harness = await startTestService(inventoryService(), inventoryConfigSchema, {}, { environment });
  const { namespace, admin, logger } = harness;
  let replica: Service | undefined;
  const producer = harness.kafka.producer();
  try {
    replica = await createService(inventoryService(), harness.config, { logger: logger.child({ replica: 2 }), namespace });
    await replica.start();
    await producer.connect();
  } catch (error) {
    await replica?.stop();
    await harness.close();
    throw error;
  }
  const named = (topic: string) => `${topic}.${namespace}`;
  return {
    config: harness.config,
    pool: harness.pool,
    store: harness.store,
    logger,
    async publish(...events) {
      const byTopic = new Map<string, DomainEvent[]>();
      for (const event of events) byTopic.set(topicFor(event), [...(byTopic.get(topicFor(event)) ?? []), event]);
      for (const [topic, batch] of byTopic) {
        await producer.send({ topic: named(topic), messages: batch.map((event) => ({ key: event.aggregateId, value: JSON.stringify(event) })) });
      }
    },
    async drained(topic) {
      const end = await endOffsets(admin, named(topic));
      const group = named('inventory.reservations');
      const deadline = Date.now() + 60_000;
      for (;;) {
        const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [named(topic)] });
        const done = new Map((offsets?.partitions ?? []).map(({ partition, offset }) => [partition, Number(offset)]));
        if ([...end].every(([partition, high]) => high === 0 || (done.get(partition) ?? -1) >= high)) return;
        if (Date.now() > deadline) throw new Error(`${group} did not finish ${topic} within 60 s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async published(topic) {
      return [...(await endOffsets(admin, named(topic))).values()].reduce((sum, high) => sum + high, 0);
    },
    asAdmin: () => harness.bearer({ userId: randomUUID(), email: 'ops@example.com', roles: ['admin'] }),
    api: harness.api,
    async close() {
      await producer.disconnect();
      await replica.stop();
      await harness.close();
    },
  };
}

async function endOffsets(admin: Admin, topic: string): Promise<Map<number, number>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map(({ partition, high }) => [partition, Number(high)]));
}
