import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { RunningOperator } from '../src/app.js';
import {
  conditionOf,
  core,
  createNamespace,
  createTopic,
  deleteLeftoverTopics,
  eventually,
  kafkaBootstrap,
  startTestOperator,
  uniqueName,
  useKafkaAdmin,
  waitForCondition,
  waitReady,
} from './support/harness.js';

const admin = useKafkaAdmin();
let namespace: string;
const operators: RunningOperator[] = [];
const kafkaTopics: string[] = [];

function topicName(): string {
  const name = uniqueName('t');
  kafkaTopics.push(name);
  return name;
}

/** A free loopback port with nothing listening on it (yet). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A TCP relay from `port` to the real broker: Kafka "comes back" when it starts listening. */
async function relayKafka(port: number): Promise<{ close: () => Promise<void> }> {
  const [host, brokerPort] = (kafkaBootstrap[0] ?? '').split(':');
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(brokerPort), host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        for (const s of sockets) s.destroy();
      }),
  };
}

beforeEach(async () => {
  namespace = await createNamespace();
});

afterEach(async () => {
  await Promise.all(operators.splice(0).map((o) => o.stop()));
  await deleteLeftoverTopics(admin, kafkaTopics);
  await core.deleteNamespace({ name: namespace });
});

describe('KafkaTopic operator resilience', () => {
  it('given Kafka unreachable, when a KafkaTopic is created, then the status says so, and the topic appears once Kafka is back', async () => {
    const port = await freePort();
    const operator = await startTestOperator({ namespace, env: { OPERATOR_KAFKA_BOOTSTRAP: `127.0.0.1:${port}` } });
    operators.push(operator);
    const name = topicName();

    await createTopic(namespace, name, { spec: { partitions: 2, replicas: 1 } });
    const down = await waitForCondition(namespace, name, { status: 'False' });
    expect(conditionOf(down)).toMatchObject({ reason: 'KafkaError', message: expect.stringContaining('Kafka unreachable') as unknown });

    const relay = await relayKafka(port);
    try {
      await waitReady(namespace, name);
      expect(await admin.listTopics()).toContain(name);
      expect(operator.isLeader()).toBe(true);
    } finally {
      await relay.close();
    }
  });

  it('given two operator replicas, when both run, then exactly one leads, and the other takes over when it stops', async () => {
    const first = await startTestOperator({ namespace });
    const second = await startTestOperator({ namespace });
    operators.push(first, second);

    const leaders = await eventually(
      () => Promise.resolve([first, second].filter((o) => o.isLeader())),
      (l) => l.length === 1,
    );
    const leader = leaders[0] ?? first;
    const standby = leader === first ? second : first;
    const before = topicName();
    await createTopic(namespace, before);
    await waitReady(namespace, before);
    expect(standby.isLeader()).toBe(false);
    expect(await reconciliationsOf(standby)).toBe(0);

    await leader.stop();
    operators.splice(operators.indexOf(leader), 1);

    await eventually(() => Promise.resolve(standby.isLeader()), (isLeader) => isLeader);
    const after = topicName();
    await createTopic(namespace, after);
    await waitReady(namespace, after);
    expect(await admin.listTopics()).toContain(after);
  });
});

async function reconciliationsOf(operator: RunningOperator): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${operator.httpPort}/metrics`);
  const text = await response.text();
  const counts = [...text.matchAll(/^topic_operator_reconciliations_total\{[^}]*\} (\d+)/gm)].map((m) => Number(m[1]));
  return counts.reduce((a, b) => a + b, 0);
}
