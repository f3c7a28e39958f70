import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { localServers } from '@msa/local';
import { createConsumerRunner, type ConsumerRunner } from '../../src/consumer/index.js';
import { withAdmin } from '../../src/kafka/admin.js';
import { createKafka } from '../../src/kafka/client.js';
import { startSwitchableBroker, type SwitchableBroker } from '../kafka/switchable-broker.js';
import { eventually, quietTelemetry, unique, userCreated } from './fixture.js';
import { useConsumerTestbed } from './testbed.js';

// Longer than kafkajs's own retries (about 9 s), as long as a broker killed and restarted is away.
// The proxy cuts the member off a broker that keeps running, which counts the session down all
// along, where a restarted one starts it afresh: the session outlasts the cut, as it does a restart.
const OUTAGE_MS = 12_000;
const SESSION_TIMEOUT_MS = 30_000;

describe('consumer runner: a broker restart', () => {
  const bed = useConsumerTestbed('consumer_broker_restart');
  const broker = localServers().kafkaBrokers[0] ?? '127.0.0.1:9092';
  let proxy: SwitchableBroker | undefined;
  let runner: ConsumerRunner | undefined;

  afterEach(async () => {
    await runner?.stop();
    await proxy?.close();
  });

  async function startBehindProxy(topic: string, groupId: string, handled: string[]): Promise<ConsumerRunner> {
    proxy = await startSwitchableBroker(broker);
    const { logger, metrics } = quietTelemetry();
    runner = createConsumerRunner({
      groupId,
      topics: [topic],
      handlers: { UserCreated: (event) => Promise.resolve(void handled.push(event.eventId)) },
      kafka: createKafka({ clientId: 'broker-restart-test', brokers: [broker], logger, socketFactory: proxy.socketFactory }),
      pool: bed.database.pool,
      logger,
      metrics,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
    });
    await runner.start();
    return runner;
  }

  async function members(groupId: string): Promise<string[]> {
    const { groups } = await withAdmin(bed.kafka, (admin) => admin.describeGroups([groupId]));
    return (groups[0]?.members ?? []).map((member) => member.memberId);
  }

  it('given a member handling messages, when the broker is away for 12 s and back, then the member keeps its place in the group and handles the next message within 5 s', async () => {
    const topic = await bed.createTopic('test.consumer.broker-restart');
    const groupId = unique('test-broker-restart');
    const handled: string[] = [];
    const member = await startBehindProxy(topic, groupId, handled);
    const first = userCreated(randomUUID());
    await bed.publish(topic, [first]);
    await eventually(() => handled.includes(first.eventId));
    const before = await members(groupId);

    proxy?.cut();
    await sleep(OUTAGE_MS);
    proxy?.restore();
    const back = Date.now();
    const next = userCreated(randomUUID());
    await bed.publish(topic, [next]);
    await eventually(() => handled.includes(next.eventId), 30_000);

    expect(Date.now() - back).toBeLessThan(5_000);
    expect(await members(groupId)).toEqual(before);
    await expect(member.readiness.check(AbortSignal.timeout(1_000))).resolves.toBeUndefined();
  }, 90_000);

  it('given a member whose broker is away, when it is stopped, then stop() returns within 12 s, the 5 s each Kafka client gets to disconnect', async () => {
    const topic = await bed.createTopic('test.consumer.broker-restart-stop');
    const groupId = unique('test-broker-restart-stop');
    const member = await startBehindProxy(topic, groupId, []);

    proxy?.cut();
    await sleep(2_000);
    const stopping = Date.now();
    await member.stop();

    expect(Date.now() - stopping).toBeLessThan(12_000);
    // kafkajs finishes leaving in the background once its retry reaches the broker again.
    proxy?.restore();
    await eventually(async () => (await members(groupId)).length === 0, 30_000);
  }, 60_000);
});
