import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createEvent, deadLetterTopicFor, topicsConsumedBy } from '@msa/contracts';
import { createTestDatabase, createTestTopics, eventually, localServers, repoRoot, type TestDatabase } from '@msa/local';
import type { Admin, Producer } from 'kafkajs';
import { createKafka, createLogger, generateSigningKey, toVerificationJwk } from '../../src/index.js';

const TIMEOUT_MS = 60_000;
// Built by `tsc -b` with the package, as a service's main.js is.
const SCRIPT = join(repoRoot, 'packages/platform/dist/test/support/namespaced-service.js');

function passwordChanged(userId: string) {
  return createEvent({
    eventType: 'UserPasswordChanged',
    eventId: randomUUID(),
    version: 2,
    occurredAt: new Date().toISOString(),
    correlationId: 'namespace-spec',
    causationId: 'namespace-spec',
    payload: { userId, via: 'change' },
  });
}

// A service run as a process of its own (runService, from its environment) joins a namespace the
// way createService's option does, so an end-to-end spec can kill and restart one beside services
// it built in-process.
describe('KAFKA_NAMESPACE: a service process on a namespace', () => {
  const namespace = randomUUID().replaceAll('-', '').slice(0, 12);
  const logger = createLogger({ service: 'namespace-spec', level: 'silent' });
  const topic = `${topicsConsumedBy('user.sessions')[0] ?? ''}.${namespace}`;
  const consumed: string[] = [];
  let database: TestDatabase;
  let admin: Admin;
  let producer: Producer;
  let child: ChildProcess;

  beforeAll(async () => {
    database = await createTestDatabase('namespace_variable');
    const kafka = createKafka({ clientId: 'namespace-spec', brokers: localServers().kafkaBrokers, logger });
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    await createTestTopics(admin, [topic, deadLetterTopicFor(topic)].map((name) => ({ topic: name, numPartitions: 1 })));
    const key = await generateSigningKey({ kid: `namespace-${namespace}` });
    child = spawn(process.execPath, [SCRIPT], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: database.url,
        KAFKA_BROKERS: localServers().kafkaBrokers.join(','),
        MONGO_URL: localServers().mongoUrl,
        JWT_PUBLIC_KEYS: JSON.stringify({ keys: [toVerificationJwk(key)] }),
        LOG_LEVEL: 'silent',
        KAFKA_NAMESPACE: namespace,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (child.stdout === null) throw new Error('the child has no stdout');
    createInterface({ input: child.stdout }).on('line', (line) => {
      consumed.push((JSON.parse(line) as { consumed: string }).consumed);
    });
  }, TIMEOUT_MS);

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    await admin.deleteTopics({ topics: [topic, deadLetterTopicFor(topic)] }).catch(() => undefined);
    await admin.deleteGroups([`user.sessions.${namespace}`]).catch(() => undefined);
    await Promise.all([admin.disconnect(), producer.disconnect()]);
    await database.drop();
  }, TIMEOUT_MS);

  it('given a service process started with KAFKA_NAMESPACE, when an event lands on the namespaced topic, then its consumer group of that namespace handles it', async () => {
    const event = passwordChanged(randomUUID());
    // The group joins a moment after start; until then its committed offsets do not exist.
    await eventually(async () => {
      const { groups } = await admin.describeGroups([`user.sessions.${namespace}`]);
      return groups[0]?.state === 'Stable' ? true : undefined;
    }, 30_000);

    await producer.send({ topic, messages: [{ key: event.aggregateId, value: JSON.stringify(event) }] });

    await eventually(() => Promise.resolve(consumed.includes(event.eventId) ? true : undefined), 30_000);
    expect(consumed).toEqual([event.eventId]);
  }, TIMEOUT_MS);
});
