import { randomUUID } from 'node:crypto';
import { createEvent, deadLetterTopicFor, topicsConsumedBy, type ConsumerGroup, type EventOf } from '@msa/contracts';
import { createTestMongoDatabase, createTestTopics, eventually, localServers, type TestMongoDatabase } from '@msa/local';
import type { Admin } from 'kafkajs';
import request from 'supertest';
import { z } from 'zod';
import {
  createKafka,
  createLogger,
  createService,
  generateSigningKey,
  loadConfig,
  NO_STREAM,
  serviceVariables,
  toVerificationJwk,
  type ReadModelDefinition,
  type Service,
  type ServiceDefinition,
  type ServiceKit,
} from '../../src/index.js';
import { createPooledDatabase, type PooledTestDatabase } from '../support/pooled-database.js';

const TIMEOUT_MS = 60_000;
const schema = z.object(serviceVariables({ port: 0, database: 'lifecycle' }));
const GROUPS = ['user.read-model', 'notification.triggers'] as const satisfies readonly ConsumerGroup[];

interface NameDocument {
  readonly _id: string;
  readonly version: number;
  readonly name: string;
}

/** The smallest read model: each user's name. */
const names: ReadModelDefinition<NameDocument, EventOf<'UserCreated'>> = {
  name: 'names',
  handles: ['UserCreated'],
  evolve: (_document, event) => ({ name: event.payload.name }),
};

/** One structured log line, as far as the spec reads it. */
interface LogLine {
  readonly msg: string;
  readonly component?: string;
  readonly group?: string;
}

function userCreated(userId: string): EventOf<'UserCreated'> {
  return createEvent({
    eventType: 'UserCreated',
    eventId: randomUUID(),
    version: 1,
    occurredAt: new Date().toISOString(),
    correlationId: 'lifecycle',
    causationId: 'lifecycle',
    payload: { userId, email: `${userId.slice(0, 8)}@example.com`, name: 'Kim Minji', role: 'customer' },
  });
}


describe('service kit: a service’s life from start to drain', () => {
  const namespace = randomUUID().replaceAll('-', '').slice(0, 12);
  const lines: LogLine[] = [];
  const logger = createLogger({
    service: 'lifecycle',
    level: 'info',
    destination: { write: (line: string) => lines.push(JSON.parse(line) as LogLine) },
  });
  const greeted: string[] = [];
  let database: PooledTestDatabase;
  let mongo: TestMongoDatabase;
  let admin: Admin;
  let topics: string[];
  let kit: ServiceKit | undefined;
  let service: Service;

  const definition: ServiceDefinition<typeof schema> = {
    name: 'lifecycle',
    version: '0.0.1',
    config: schema,
    readModels: { group: 'user.read-model', definitions: [names] },
    build(given) {
      kit = given;
      const greet = (event: EventOf<'UserCreated'>) => {
        greeted.push(event.payload.userId);
        return Promise.resolve();
      };
      // A worker that leaves a line as the kit starts and stops it, so its place in the order shows.
      const worker = {
        name: 'sender',
        start: () => void lines.push({ msg: 'started', component: 'sender' }),
        stop: () => Promise.resolve(void lines.push({ msg: 'stopped', component: 'sender' })),
      };
      return {
        routes: [],
        consumers: [{ group: 'notification.triggers', handlers: { UserCreated: greet, PaymentCompleted: () => Promise.resolve() } }],
        workers: [worker],
      };
    },
  };

  beforeAll(async () => {
    database = await createPooledDatabase('service_lifecycle');
    mongo = await createTestMongoDatabase('service_lifecycle');
    admin = createKafka({ clientId: 'lifecycle-test', brokers: localServers().kafkaBrokers, logger }).admin();
    await admin.connect();
    const sources = [...new Set(GROUPS.flatMap((group) => topicsConsumedBy(group)))].map((topic) => `${topic}.${namespace}`);
    topics = sources.flatMap((topic) => [topic, deadLetterTopicFor(topic)]);
    await createTestTopics(admin, topics.map((topic) => ({ topic, numPartitions: 1 })));
    const key = await generateSigningKey({ kid: `lifecycle-${namespace}` });
    const config = loadConfig(schema, {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: localServers().kafkaBrokers.join(','),
      MONGO_URL: localServers().mongoUrl,
      MONGO_DATABASE: mongo.name,
      JWT_PUBLIC_KEYS: JSON.stringify({ keys: [toVerificationJwk(key)] }),
    });
    service = await createService(definition, config, { logger, namespace });
  }, TIMEOUT_MS);

  afterAll(async () => {
    await service.stop();
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.deleteGroups(GROUPS.map((group) => `${group}.${namespace}`)).catch(() => undefined);
    await admin.disconnect();
    await mongo.drop();
    await database.drop();
  }, TIMEOUT_MS);

  it('given a started service, when readiness is asked, then PostgreSQL, Kafka, MongoDB and both consumer groups are up', async () => {
    await service.start();

    const ready = await request(service.http.app).get('/health/ready');

    expect(ready.status).toBe(200);
    expect(lines).toContainEqual({ msg: 'started', component: 'sender' });
    expect(ready.body).toEqual({
      status: 'ready',
      checks: [
        { name: 'postgres', status: 'up' },
        { name: 'kafka', status: 'up' },
        { name: 'mongo', status: 'up' },
        { name: `kafka-consumer:user.read-model.${namespace}`, status: 'up' },
        { name: `kafka-consumer:notification.triggers.${namespace}`, status: 'up' },
      ],
    });
  }, TIMEOUT_MS);

  it('given an appended event, when the relay publishes it, then the read model projects it and the service’s own group handles it', async () => {
    if (kit === undefined) throw new Error('build was not called');
    const userId = randomUUID();

    await kit.store.append(`user-${userId}`, NO_STREAM, [userCreated(userId)]);

    const readModel = kit.readModel(names);
    const projected = await eventually(async () => (await (await readModel.collection()).findOne({ _id: userId })) ?? undefined);
    expect(projected).toEqual({ _id: userId, version: 1, name: 'Kim Minji' });
    await eventually(() => Promise.resolve(greeted.includes(userId) ? true : undefined));
  }, TIMEOUT_MS);

  it('given a running service, when stopped, then its workers stop before the consumers and the consumers before the relay, and no group member or database session is left', async () => {
    lines.length = 0;

    await service.stop();

    const stops = lines
      .filter((line) => line.msg === 'consumer stopped' || (['outbox-relay', 'sender'].includes(line.component ?? '') && line.msg === 'stopped'))
      .map((line) => line.group ?? line.component);
    expect(stops).toEqual(['sender', `notification.triggers.${namespace}`, `user.read-model.${namespace}`, 'outbox-relay']);
    const groups = await admin.describeGroups(GROUPS.map((group) => `${group}.${namespace}`));
    expect(groups.groups.map((group) => group.members)).toEqual([[], []]);
    const sessions = await eventually(async () => {
      const { rows } = await database.pool.query<{ count: string }>(
        "select count(*) from pg_stat_activity where datname = current_database() and application_name = 'lifecycle-service'",
      );
      return rows[0]?.count === '0' ? rows[0].count : undefined;
    });
    expect(sessions).toBe('0');
  }, TIMEOUT_MS);
});
