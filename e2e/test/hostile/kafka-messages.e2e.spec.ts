import { randomUUID } from 'node:crypto';
import { deadLetterTopicFor, eventTopics } from '@msa/contracts';
import { eventually, whileProgressing } from '@msa/local';
import { createLogger } from '@msa/platform';
import type { Consumer, Message } from 'kafkajs';
import { readDeadLetterInfo, type DeadLetterInfo } from '../../../packages/platform/src/consumer/dead-letter/headers.js';
import { executeReplay } from '../../../packages/platform/src/consumer/replay/replay.js';
import { FLOW_TIMEOUT_MS, PLATFORM_TIMEOUT_MS, startPlatform, type TestPlatform } from '../support/platform.js';
import { orderOf, placeOrder, signUp, stockedProduct, stockOnceSold, terminalOrder, type Customer } from '../support/shop.js';

/** Every catalog topic some group consumes, with its partitions and groups, as the services subscribe. */
const CONSUMED = eventTopics.filter(({ consumers }) => consumers.length > 0);

/** The runner's default `maxMessageBytes`: the services do not change it. */
const CONSUMER_LIMIT_BYTES = 262_144;

/** One message no outbox would publish, and what its dead letter must say about it. */
interface Hostile {
  readonly kind: string;
  /** A marker inside the value, which the dead letter keeps: how its entry is found. */
  readonly marker: string;
  readonly message: Message;
  readonly reason: RegExp;
}

/** An envelope of `eventType` with nothing in it: the shape a careless producer would send. */
function envelope(marker: string, eventType: string): Record<string, unknown> {
  const id = randomUUID();
  return { marker, eventId: randomUUID(), eventType, schemaVersion: 1, aggregateId: id, aggregateType: 'Hostile', version: 1, occurredAt: new Date().toISOString(), correlationId: 'hostile', causationId: 'hostile', payload: {} };
}

/** The six kinds, for one partition of `eventType`'s topic, each under a key of its own (but the keyless one). */
function hostileMessages(eventType: string, partition: number): Hostile[] {
  const kinds: readonly [string, (marker: string) => Omit<Message, 'partition'>, RegExp][] = [
    ['malformed JSON', (marker) => ({ key: randomUUID(), value: `{"marker": "${marker}", "eventType": "${eventType}", "payload": ` }), /JSON/],
    ['oversized', (marker) => ({ key: randomUUID(), value: JSON.stringify({ ...envelope(marker, eventType), padding: 'p'.repeat(CONSUMER_LIMIT_BYTES) }) }), /^value is \d+ bytes, over the consumer's limit of 262144$/],
    ['wrong schema', (marker) => ({ key: randomUUID(), value: JSON.stringify({ marker, hello: 'world' }) }), /^INVALID_EVENT at eventType: /],
    ['unknown type', (marker) => ({ key: randomUUID(), value: JSON.stringify(envelope(marker, 'OrderTeleported')) }), /^UNKNOWN_EVENT_TYPE at eventType: unknown event type "OrderTeleported"/],
    ['missing key', (marker) => ({ key: null, value: JSON.stringify(envelope(marker, eventType)) }), /^message has no key/],
    ['wrong header', (marker) => ({ key: randomUUID(), value: JSON.stringify(envelope(marker, eventType)), headers: { 'event-type': 'OrderTeleported' } }), /^header event-type "OrderTeleported" contradicts the event's eventType/],
  ];
  return kinds.map(([kind, make, reason]) => {
    const marker = randomUUID();
    return { kind, marker, message: { ...make(marker), partition }, reason };
  });
}

/** A dead letter as the spec reads it: its `dlt-*` headers and its value as text. */
interface DeadLetter {
  readonly topic: string;
  readonly info: DeadLetterInfo | undefined;
  readonly value: string;
}


// Kafka delivers whatever a producer writes. Every topic a service consumes gets, on every
// partition, each kind of message the outbox never writes; each consuming group must put each one
// in the topic's DLT saying why, and go on with the partition: the shop flow after them completes.
describe('hostile messages on every consumed topic', () => {
  let platform: TestPlatform;
  let admin: Customer;
  let reader: Consumer;
  const deadLetters: DeadLetter[] = [];
  const named = (name: string): string => `${name}.${platform.namespace}`;

  beforeAll(async () => {
    platform = await startPlatform();
    admin = await signUp(platform, platform.adminEmail, 'Admin');
    reader = platform.kafka.consumer({ groupId: named('hostile-dlt-reader'), maxWaitTimeInMs: 100 });
    await reader.connect();
    await reader.subscribe({ topics: CONSUMED.map(({ name }) => deadLetterTopicFor(named(name))), fromBeginning: true });
    const joined = new Promise<void>((resolve) => {
      reader.on(reader.events.GROUP_JOIN, () => {
        resolve();
      });
    });
    await reader.run({
      eachMessage: ({ topic, message }) => {
        deadLetters.push({ topic, info: readDeadLetterInfo(message.headers ?? {}), value: message.value?.toString('utf8') ?? '' });
        return Promise.resolve();
      },
    });
    await joined;
  }, PLATFORM_TIMEOUT_MS);

  afterAll(async () => {
    await reader.disconnect();
    await platform.close();
  }, PLATFORM_TIMEOUT_MS);

  it(
    'given each hostile kind on every partition of every consumed topic, when the services consume them, then every group dead-letters each naming what was wrong and the orders after them complete',
    async () => {
      const sent = CONSUMED.map((topic) => ({ topic, hostile: Array.from({ length: topic.partitions }, (_, partition) => hostileMessages(topic.eventType, partition)).flat() }));
      const producer = platform.kafka.producer();
      await producer.connect();
      try {
        for (const { topic, hostile } of sent) await producer.send({ topic: named(topic.name), acks: -1, messages: hostile.map(({ message }) => message) });
      } finally {
        await producer.disconnect();
      }
      const expected = sent.flatMap(({ topic, hostile }) =>
        hostile.flatMap(({ kind, marker, message, reason }) => topic.consumers.map((group) => ({ topic: topic.name, partition: message.partition, kind, group, marker, reason }))),
      );

      // Each dead letter costs a DLT write and a transaction: a loaded machine writes them slowly, a
      // stuck partition not at all, so the wait fails only once none has come for a while.
      await whileProgressing(() => deadLetters.length, expected.length);
      const entryOf = (topic: string, group: string, marker: string) =>
        deadLetters.find((entry) => entry.topic === deadLetterTopicFor(named(topic)) && entry.info?.group === named(group) && entry.value.includes(marker));
      const outcomes = expected.map(({ topic, partition, kind, group, marker, reason }) => {
        const info = entryOf(topic, group, marker)?.info;
        return { topic, partition, kind, group, reason: info?.reason, attempts: info?.attempts, namesWhy: reason.test(info?.errorMessage ?? '') };
      });
      expect(outcomes).toEqual(expected.map(({ topic, partition, kind, group }) => ({ topic, partition, kind, group, reason: 'unparseable', attempts: 1, namesWhy: true })));
      expect(deadLetters).toHaveLength(expected.length);

      // Behind every hostile message: a sign-up, a product, an order paid and completed.
      const customer = await signUp(platform, `hostile-${randomUUID()}@e2e.example`, 'Noor');
      const productId = await stockedProduct(platform, admin, 3);
      const placed = await placeOrder(platform, customer, orderOf(productId, 1));
      expect((await terminalOrder(platform, customer, placed.orderId)).status).toBe('COMPLETED');
      expect(await stockOnceSold(platform, productId, 1)).toMatchObject({ available: 2, reserved: 0, sold: 1 });

      // And no partition of any group is stuck: each has committed up to its end.
      const behind = async () => {
        const lagging: string[] = [];
        for (const topic of CONSUMED) {
          const ends = new Map((await platform.admin.fetchTopicOffsets(named(topic.name))).map(({ partition, high }) => [partition, high]));
          for (const group of topic.consumers) {
            const [committed] = await platform.admin.fetchOffsets({ groupId: named(group), topics: [named(topic.name)] });
            for (const { partition, offset } of committed?.partitions ?? []) if (offset !== ends.get(partition)) lagging.push(`${group} ${topic.name}[${partition}] at ${offset} of ${ends.get(partition) ?? '?'}`);
          }
        }
        return lagging;
      };
      await eventually(async () => ((await behind()).length === 0 ? true : undefined), 30_000).catch(() => undefined);
      expect(await behind()).toEqual([]);
    },
    FLOW_TIMEOUT_MS * 4,
  );

  it(
    'given an order whose reservation failed while the stock table was away, when the table is back and its dead letter is replayed twice, then the order completes with its units reserved and sold once',
    async () => {
      const topic = named('order.lifecycle.created');
      const group = named('inventory.reservations');
      const productId = await stockedProduct(platform, admin, 5);
      const customer = await signUp(platform, `replay-${randomUUID()}@e2e.example`, 'Ada');

      await platform.pools.inventory.query('alter table inventory_stock rename to inventory_stock_away');
      let placed: { orderId: string };
      try {
        placed = await placeOrder(platform, customer, orderOf(productId, 2));
        await eventually(
          () => Promise.resolve(deadLetters.some((entry) => entry.topic === deadLetterTopicFor(topic) && entry.info?.group === group && entry.value.includes(placed.orderId)) ? true : undefined),
          30_000,
        );
      } finally {
        await platform.pools.inventory.query('alter table inventory_stock_away rename to inventory_stock');
      }
      const failed = deadLetters.find((entry) => entry.topic === deadLetterTopicFor(topic) && entry.value.includes(placed.orderId));
      expect([failed?.info?.reason, failed?.info?.errorMessage]).toEqual(['failed', expect.stringContaining('inventory_stock')]);

      const logger = createLogger({ service: 'e2e-replay', level: 'silent' });
      const replay = () => executeReplay({ kafka: platform.kafka, pool: platform.pools.inventory, topic, group, key: placed.orderId, logger, timeoutMs: 30_000 });
      const first = await replay();
      const second = await replay();

      expect(first.keys.map(({ outcome, replayed }) => [outcome, replayed])).toEqual([['unparked', 1]]);
      expect(second.keys).toEqual([]);
      expect((await terminalOrder(platform, customer, placed.orderId)).status).toBe('COMPLETED');
      expect(await stockOnceSold(platform, productId, 2)).toMatchObject({ available: 3, reserved: 0, sold: 2 });
      const { rows } = await platform.pools.inventory.query<{ count: number }>(
        "select count(*)::int as count from events where event_type = 'InventoryReserved' and payload->>'orderId' = $1",
        [placed.orderId],
      );
      expect(rows[0]?.count).toBe(1);
    },
    FLOW_TIMEOUT_MS * 2,
  );
});
