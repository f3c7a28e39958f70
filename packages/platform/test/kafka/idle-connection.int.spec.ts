import { createHook } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { localServers } from '@msa/local';
import { createKafka, createProducer } from '../../src/kafka/index.js';
import { quietTelemetry } from '../consumer/fixture.js';

// kafkajs 2.2.4's request queue re-armed a timer for its next check after every check, pending
// requests or not, with a negative delay that Node runs after 1 ms: each broker connection woke the
// event loop a thousand times a second while idle, a few per cent of a core per service
// (tulios/kafkajs#1556). The root package.json applies patches/kafkajs+2.2.4.patch on install.
describe('an idle Kafka connection', () => {
  it('given a connected producer with nothing to send, when a second passes, then kafkajs arms only a handful of timers', async () => {
    const { logger } = quietTelemetry();
    const kafka = createKafka({ clientId: 'idle-connection-test', brokers: localServers().kafkaBrokers, logger });
    const producer = createProducer(kafka);
    await producer.connect();
    let timers = 0;
    const hook = createHook({
      init(_id, type) {
        if (type === 'Timeout') timers += 1;
      },
    });
    try {
      await sleep(200);
      hook.enable();
      await sleep(1_000);
      hook.disable();
    } finally {
      hook.disable();
      await producer.disconnect();
    }

    // The loop armed about 1,000 in this second; a healthy idle client arms a few for its own
    // request timeouts and this spec's sleep.
    expect(timers).toBeLessThan(50);
  }, 30_000);
});
