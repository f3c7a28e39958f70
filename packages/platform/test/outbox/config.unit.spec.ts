import { ConfigError } from '../../src/index.js';
import { loadRelayConfig, outboxRelayOptionsFrom } from '../../src/outbox/config.js';

const required = { DATABASE_URL: 'postgres://db:5432/orders', KAFKA_BROKERS: 'kafka-0:9092' };

describe('standalone relay configuration', () => {
  it('given only the required variables, when loaded, then the relay bounds a takeover at the defaults', () => {
    const options = outboxRelayOptionsFrom(loadRelayConfig(required));

    expect(options).toEqual({
      leaderTimeoutMs: 6_000,
      leaderRetryMs: 2_000,
      batchSize: 1_000,
      maxBatchBytes: 1_000_000,
      wakeOnAppend: true,
      checkpointIntervalMs: 250,
    });
  });

  it('given the naive baseline’s OUTBOX_POLL_ONLY and a checkpoint interval of 0, when loaded, then the relay wakes only to poll and checkpoints every batch', () => {
    const config = loadRelayConfig({ ...required, OUTBOX_POLL_ONLY: 'true', OUTBOX_BATCH_SIZE: '1', OUTBOX_CHECKPOINT_INTERVAL: '0ms' });

    expect(outboxRelayOptionsFrom(config)).toMatchObject({ wakeOnAppend: false, batchSize: 1, checkpointIntervalMs: 0 });
  });

  it('given a checkpoint interval over a minute, when loaded, then the error names the variable', () => {
    expect(() => loadRelayConfig({ ...required, OUTBOX_CHECKPOINT_INTERVAL: '2m' })).toThrow('OUTBOX_CHECKPOINT_INTERVAL: must be at most 1 minute');
  });

  it('given the leader bounds as durations, when loaded, then the relay gets them in milliseconds', () => {
    const config = loadRelayConfig({ ...required, OUTBOX_LEADER_TIMEOUT: '3s', OUTBOX_LEADER_RETRY: '500ms' });

    expect(outboxRelayOptionsFrom(config)).toMatchObject({ leaderTimeoutMs: 3_000, leaderRetryMs: 500 });
  });

  it('given a leader timeout under a second, when loaded, then the error names the variable', () => {
    expect(() => loadRelayConfig({ ...required, OUTBOX_LEADER_TIMEOUT: '200ms' })).toThrow(ConfigError);
    expect(() => loadRelayConfig({ ...required, OUTBOX_LEADER_TIMEOUT: '200ms' })).toThrow(
      'OUTBOX_LEADER_TIMEOUT: must be at least 1000 ms (1 s)',
    );
  });

  it('given a byte limit, when loaded, then the relay sends at most that much at once; one below a kilobyte is refused by name', () => {
    const config = loadRelayConfig({ ...required, OUTBOX_BATCH_MAX_BYTES: '524288', OUTBOX_BATCH_SIZE: '200' });

    expect(outboxRelayOptionsFrom(config)).toMatchObject({ batchSize: 200, maxBatchBytes: 524_288 });
    expect(() => loadRelayConfig({ ...required, OUTBOX_BATCH_MAX_BYTES: '100' })).toThrow('OUTBOX_BATCH_MAX_BYTES: must be at least 1024');
  });
});
