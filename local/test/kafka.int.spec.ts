import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { createTestTopics, localServers } from '../src/index.js';

describe('Kafka (KRaft) smoke', () => {
  const kafka = new Kafka({
    clientId: 'local-smoke',
    brokers: [...localServers().kafkaBrokers],
    logLevel: logLevel.NOTHING,
  });
  const topic = `smoke.kafka.${randomUUID()}`;
  const admin = kafka.admin();

  beforeAll(async () => {
    await admin.connect();
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('given a new topic, when a message is produced, then a consumer in a group receives it', async () => {
    await createTestTopics(admin, [{ topic, numPartitions: 3 }]);
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]?.partitions).toHaveLength(3);

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'order-1', value: 'hello' }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `smoke-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = await new Promise<string>((resolve) => {
      void consumer.run({
        eachMessage: ({ message }) => {
          resolve(`${message.key?.toString() ?? ''}=${message.value?.toString() ?? ''}`);
          return Promise.resolve();
        },
      });
    });
    await consumer.disconnect();

    expect(received).toBe('order-1=hello');
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.map((o) => Number(o.high)).reduce((a, b) => a + b, 0)).toBe(1);
  });
});
