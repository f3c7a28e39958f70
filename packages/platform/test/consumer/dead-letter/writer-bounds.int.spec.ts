import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { localServers } from '@msa/local';
import kafkajs from 'kafkajs';
import { DLT_HEADER, headerText, readDeadLetterInfo } from '../../../src/consumer/dead-letter/headers.js';
import { createConsumerRunner, NonRetriableError } from '../../../src/consumer/index.js';
import { withAdmin } from '../../../src/kafka/admin.js';
import { pinoLogCreator } from '../../../src/kafka/log-creator.js';
import type { PlatformMetrics } from '../../../src/telemetry/metrics.js';
import { startProduceStallingProxy } from '../../kafka/produce-stalling-proxy.js';
import { eventually, gate, quietTelemetry, unique, userCreated } from '../fixture.js';
import { useConsumerTestbed } from '../testbed.js';

// kafkajs is CommonJS and Node's ESM loader cannot see these as named exports.
const { Kafka, logLevel } = kafkajs;

describe('consumer runner: dead-letter writes Kafka does not take', () => {
  const bed = useConsumerTestbed('consumer_dlt_bounds');
  const QUICK = { maxAttempts: 1, initialDelayMs: 10, maxDelayMs: 200 };

  async function counted(metrics: PlatformMetrics, name: string, labels: Record<string, string>): Promise<number> {
    const metric = metrics.registry.getSingleMetric(name);
    const values = metric === undefined ? [] : (await metric.get()).values;
    return values
      .filter((value) => Object.entries(labels).every(([label, wanted]) => value.labels[label] === wanted))
      .reduce((sum, { value }) => sum + value, 0);
  }

  it('given a message just under its topic’s size limit that the dlt-* headers push over, when dead-lettered, then its DLT entry keeps the headers without the payload and the partition flows', async () => {
    const topic = await bed.createTopic('test.consumer.dlt-large', 1, { 'max.message.bytes': '20000' });
    const { metrics } = quietTelemetry();
    const handled: string[] = [];
    await bed.startRunner({
      groupId: unique('test-dlt-large'),
      topics: [topic],
      handlers: { UserCreated: (event) => Promise.resolve(void handled.push(event.eventId)) },
      metrics,
      retry: QUICK,
    });
    const key = randomUUID();
    const large = 'x'.repeat(19_800);
    const next = userCreated(randomUUID());
    const follower = userCreated(key);

    await bed.publish(topic, [{ key, raw: large }]);
    await bed.publish(topic, [next, { key, raw: JSON.stringify(follower) }]);
    await eventually(async () => handled.includes(next.eventId) && (await bed.deadLetters(topic)).length === 2, 30_000);
    const [dropped, followed] = await bed.deadLetters(topic);

    expect(dropped?.value).toBeNull();
    expect(readDeadLetterInfo(dropped?.headers ?? {})).toMatchObject({
      reason: 'unparseable',
      originalTopic: topic,
      originalOffset: '0',
      originalKey: key,
      payloadDropped: 'MESSAGE_TOO_LARGE',
      payloadBytes: 19_800,
      payloadSha256: createHash('sha256').update(large).digest('hex'),
    });
    expect(headerText(followed?.headers ?? {}, DLT_HEADER.reason)).toBe('parked');
    expect(followed?.value).toBe(JSON.stringify(follower));
    expect(await counted(metrics, 'dlt_payloads_dropped_total', { topic })).toBe(1);
    expect(await counted(metrics, 'dlt_write_failures_total', { topic, kind: 'record' })).toBe(1);
  }, 60_000);

  it('given a broker that stops answering produce requests, when a message is dead-lettered, then each write gives up at its bound, stop() returns, and the message comes back uncommitted', async () => {
    const topic = await bed.createTopic('test.consumer.dlt-stall');
    const groupId = unique('test-dlt-stall');
    const proxy = await startProduceStallingProxy(localServers().kafkaBrokers[0] ?? '127.0.0.1:9092');
    const { metrics } = quietTelemetry();
    const kafka = new Kafka({
      clientId: 'dlt-stall-test',
      brokers: [...localServers().kafkaBrokers],
      socketFactory: proxy.socketFactory,
      logLevel: logLevel.WARN,
      logCreator: pinoLogCreator(bed.logger),
    });
    const refuse = () => Promise.reject(new NonRetriableError('this event breaks a rule'));
    const runner = createConsumerRunner({
      groupId,
      topics: [topic],
      handlers: {
        UserCreated: () => {
          proxy.freeze();
          refused.open();
          return refuse();
        },
      },
      kafka,
      pool: bed.database.pool,
      logger: bed.logger,
      metrics,
      retry: QUICK,
      deadLetterTimeoutMs: 1_000,
    });
    const event = userCreated(randomUUID());
    const refused = gate();
    try {
      await runner.start();
      await bed.publish(topic, [event]);
      await refused.opened;
      // Long enough for a few writes bounded at a second each.
      await sleep(3_500);

      const stopping = await Promise.race([runner.stop().then(() => 'stopped'), sleep(20_000).then(() => 'still stopping')]);

      expect(stopping).toBe('stopped');
      expect(await counted(metrics, 'dlt_write_failures_total', { topic, kind: 'timeout' })).toBeGreaterThanOrEqual(2);
    } finally {
      await proxy.close();
    }
    const [offsets] = await withAdmin(bed.kafka, (admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
    expect(offsets?.partitions).toEqual([expect.objectContaining({ partition: 0, offset: '-1' })]);
    expect(await bed.deadLetters(topic)).toEqual([]);

    await bed.startRunner({ groupId, topics: [topic], handlers: { UserCreated: refuse }, retry: QUICK });
    await eventually(async () => (await bed.deadLetters(topic)).length === 1, 30_000);
  }, 90_000);
});
