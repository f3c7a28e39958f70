import { Kafka } from 'kafkajs';
import pg from 'pg';
import { Registry } from 'prom-client';
import { createLogger } from '../../src/telemetry/logger.js';
import { createPlatformMetrics } from '../../src/telemetry/metrics.js';
import { ConsumerConfigError, createConsumerRunner, type ConsumerRunnerOptions } from '../../src/consumer/index.js';

const valid: ConsumerRunnerOptions = {
  groupId: 'user.read-model',
  topics: ['user.profile.created', 'user.profile.updated'],
  handlers: { UserCreated: () => Promise.resolve(), UserUpdated: () => Promise.resolve() },
  kafka: new Kafka({ brokers: ['127.0.0.1:1'] }),
  // Pools connect on first use; these runners never get that far.
  pool: new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' }),
  logger: createLogger({ service: 'test', level: 'silent' }),
  metrics: createPlatformMetrics(new Registry()),
};

describe('consumer runner options', () => {
  it('given valid options, when the runner is created, then nothing connects and it is not ready yet', async () => {
    const runner = createConsumerRunner(valid);

    expect(runner.groupId).toBe('user.read-model');
    await expect(runner.readiness.check(new AbortController().signal)).rejects.toThrow('is new');
  });

  it.each([
    ['no topics', { topics: [] }, /option topics/],
    ['a dead-letter topic', { topics: ['user.profile.created.DLT'] }, /is a dead-letter topic/],
    ['a topic twice', { topics: ['user.profile.created', 'user.profile.created'] }, /lists a topic twice/],
    ['an empty group id', { groupId: '' }, /option groupId/],
    ['zero partitions at once', { partitionsConsumedConcurrently: 0 }, /option partitionsConsumedConcurrently/],
    ['a bad retry policy', { retry: { maxAttempts: 0 } }, /option retry\.maxAttempts/],
    ['an inbox retention under a day', { inboxPruning: { retentionMs: 3_600_000 } }, /option inboxPruning\.retentionMs: must be at least 86400000 ms \(1 day\)/],
    ['an inbox prune batch of none', { inboxPruning: { batchSize: 0 } }, /option inboxPruning\.batchSize/],
    ['a handler bound past the rebalance timeout', { handlerTimeoutMs: 60_000 }, /option handlerTimeoutMs/],
  ])('given %s, when the runner is created, then it refuses naming the option', (_case, overrides, message) => {
    expect(() => createConsumerRunner({ ...valid, ...overrides })).toThrow(message);
  });

  it('given a catalog topic whose event type has no handler, when the runner is created, then it names the event and topic', () => {
    const create = () => createConsumerRunner({ ...valid, handlers: { UserCreated: () => Promise.resolve() } });

    expect(create).toThrow(ConsumerConfigError);
    expect(create).toThrow('group user.read-model subscribes without a handler for UserUpdated (from user.profile.updated)');
  });
});
