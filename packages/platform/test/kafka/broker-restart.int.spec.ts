import { setTimeout as sleep } from 'node:timers/promises';
import { createTestTopics, localServers } from '@msa/local';
import { readTopic } from '../../src/consumer/dead-letter/reader.js';
import { withAdmin } from '../../src/kafka/admin.js';
import { createKafka, createProducer } from '../../src/kafka/index.js';
import { quietTelemetry, unique } from '../consumer/fixture.js';
import { startSwitchableBroker } from './switchable-broker.js';

// kafkajs's own retry settings give up after five retries, about 9 s (fifteen quicker ones, about
// as long, when NODE_ENV is `test`); a broker killed and restarted is away for longer than that.
const OUTAGE_MS = 12_000;

describe('the platform producer across a broker restart', () => {
  const { logger } = quietTelemetry();
  const broker = localServers().kafkaBrokers[0] ?? '127.0.0.1:9092';
  const direct = createKafka({ clientId: 'broker-restart-test', brokers: [broker], logger });
  const topic = unique('test.kafka.broker-restart');

  beforeAll(async () => {
    await withAdmin(direct, (admin) => createTestTopics(admin, [{ topic, numPartitions: 1 }]));
  });

  afterAll(async () => {
    await withAdmin(direct, (admin) => admin.deleteTopics({ topics: [topic] })).catch(() => undefined);
  });

  it('given a broker unreachable for 12 s, when the platform producer sends meanwhile, then the send is acknowledged once the broker is back, and written once', async () => {
    const proxy = await startSwitchableBroker(broker);
    const producer = createProducer(createKafka({ clientId: 'broker-restart-test', brokers: [broker], logger, socketFactory: proxy.socketFactory }));
    try {
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'before' }] });

      proxy.cut();
      const sent = producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'during' }] }).then(
        () => 'acknowledged',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      await sleep(OUTAGE_MS);
      proxy.restore();

      expect(await sent).toBe('acknowledged');
      const values = (await readTopic(direct, topic)).map((message) => message.value?.toString());
      expect(values).toEqual(['before', 'during']);
    } finally {
      await producer.disconnect().catch(() => undefined);
      await proxy.close();
    }
  }, 60_000);
});
