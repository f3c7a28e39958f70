import { z } from 'zod';
import { ConfigError, createService, loadConfig, loadRebuildConfig, serviceVariables, type ServiceDefinition } from '../../src/index.js';
import { configProblems, serviceEnvironment } from '../../src/testing/index.js';

const schema = z.object({ ...serviceVariables({ port: 8082, database: 'product' }), CATALOG_PAGE_SIZE: z.string().default('20') });

const required = () => serviceEnvironment({ database: 'product' });


const product: ServiceDefinition<typeof schema> = {
  name: 'product',
  version: '1.0.0',
  config: schema,
  build: () => ({ routes: [] }),
};

describe('the variables every service reads', () => {
  it('given only the required variables, when loaded, then the service’s own defaults and the shared ones apply', async () => {
    const config = loadConfig(schema, await required());

    expect(config).toMatchObject({
      PORT: 8082,
      MONGO_DATABASE: 'product',
      MONGO_TIMEOUT: 5_000,
      LOG_LEVEL: 'info',
      KAFKA_BROKERS: ['127.0.0.1:19092'],
      JWT_ISSUER: 'msa-ecommerce/user',
      JWT_AUDIENCE: 'msa-ecommerce',
      INBOX_PRUNING: true,
      OUTBOX_BATCH_SIZE: 1_000,
      OUTBOX_POLL_ONLY: false,
      CONSUMER_COMMIT_PER_MESSAGE: false,
      READ_CACHE_OFF: false,
      REDIS_TIMEOUT: 50,
      CATALOG_PAGE_SIZE: '20',
    });
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).toBeUndefined();
    expect(String(config.DATABASE_URL)).toBe('[redacted]');
  });

  it('given the naive baseline’s switches, when loaded, then each is on; a value not a boolean is refused by name', async () => {
    const environment = await required();

    const config = loadConfig(schema, { ...environment, CONSUMER_COMMIT_PER_MESSAGE: 'true', READ_CACHE_OFF: 'true', OUTBOX_POLL_ONLY: 'true' });

    expect(config).toMatchObject({ CONSUMER_COMMIT_PER_MESSAGE: true, READ_CACHE_OFF: true, OUTBOX_POLL_ONLY: true });
    expect(configProblems(() => loadConfig(schema, { ...environment, READ_CACHE_OFF: 'maybe' })).map((problem) => problem.variable)).toEqual(['READ_CACHE_OFF']);
  });

  it('given a Redis command timeout beyond ten seconds, when loaded, then REDIS_TIMEOUT is named', async () => {
    const environment = await required();

    expect(configProblems(() => loadConfig(schema, { ...environment, REDIS_TIMEOUT: '1m' }))).toEqual([{ variable: 'REDIS_TIMEOUT', message: 'expected from 1ms to 10s' }]);
  });

  it('given a Redis URL, when loaded, then it is kept as a secret; one of another scheme is refused by name', async () => {
    const environment = await required();

    const config = loadConfig(schema, { ...environment, REDIS_URL: 'redis://:hunter2@127.0.0.1:16379' });

    expect(config.REDIS_URL?.reveal()).toBe('redis://:hunter2@127.0.0.1:16379');
    expect(JSON.stringify(config)).not.toContain('hunter2');
    expect(configProblems(() => loadConfig(schema, { ...environment, REDIS_URL: 'http://127.0.0.1:16379' }))).toEqual([{
      variable: 'REDIS_URL',
      message: 'expected a URL with scheme redis: or rediss:, got http:',
    }]);
  });

  it('given a namespace, when loaded, then KAFKA_NAMESPACE is kept; one Kafka could not name a topic with is refused by name', async () => {
    const environment = await required();

    expect(loadConfig(schema, { ...environment, KAFKA_NAMESPACE: 'a1b2c3d4e5f6' }).KAFKA_NAMESPACE).toBe('a1b2c3d4e5f6');
    expect(loadConfig(schema, environment).KAFKA_NAMESPACE).toBeUndefined();
    expect(configProblems(() => loadConfig(schema, { ...environment, KAFKA_NAMESPACE: 'two words' }))).toEqual([{
      variable: 'KAFKA_NAMESPACE',
      message: 'expected 1 to 40 letters, digits, _ or -',
    }]);
  });

  it('given nothing at all, when loaded, then each required variable is named', () => {
    expect(configProblems(() => loadConfig(schema, {})).map((problem) => problem.variable)).toEqual([
      'DATABASE_URL',
      'MONGO_URL',
      'KAFKA_BROKERS',
      'JWT_PUBLIC_KEYS',
    ]);
  });

  it('given only the stores, when a rebuild loads its configuration, then it needs nothing else and keeps the service’s defaults', async () => {
    const { DATABASE_URL, MONGO_URL } = await required();

    const config = loadRebuildConfig(product, { DATABASE_URL, MONGO_URL, MONGO_TIMEOUT: '2s' });

    expect(Object.keys(config).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'MONGO_DATABASE', 'MONGO_TIMEOUT', 'MONGO_URL']);
    expect(config).toMatchObject({ MONGO_DATABASE: 'product', MONGO_TIMEOUT: 2_000, LOG_LEVEL: 'info' });
    expect(configProblems(() => loadRebuildConfig(product, { MONGO_URL }))).toEqual([{ variable: 'DATABASE_URL', message: 'required but not set' }]);
  });

  it('given nothing about the control build, when loaded, then the outbox and the inbox stay on and consumers get 6 s sessions', async () => {
    expect(loadConfig(schema, await required())).toMatchObject({ NAIVE_DUAL_WRITE: false, CONSUMER_SESSION_TIMEOUT: 6_000 });
  });

  it('given the control build against a broker off this machine, when the service is built, then it is refused naming NAIVE_DUAL_WRITE', async () => {
    const config = loadConfig(schema, { ...(await required()), NAIVE_DUAL_WRITE: 'true', KAFKA_BROKERS: 'kafka.prod.internal:9092' });

    const building = createService(product, config);

    await expect(building).rejects.toBeInstanceOf(ConfigError);
    await expect(building).rejects.toMatchObject({ problems: [{ variable: 'NAIVE_DUAL_WRITE' }] });
  });
});
