import { z } from 'zod';
import { ConfigError, inboxPruningFrom, inboxPruningVariables, loadConfig } from '../../../src/index.js';

const schema = z.object(inboxPruningVariables);

describe('inbox pruning variables', () => {
  it('given none set, when loaded, then the runner gets the documented defaults', () => {
    const pruning = inboxPruningFrom(loadConfig(schema, {}));

    expect(pruning).toEqual({ enabled: true, retentionMs: 42 * 86_400_000, intervalMs: 3_600_000, batchSize: 1_000 });
  });

  it('given durations and a batch size, when loaded, then they reach the runner in milliseconds', () => {
    const config = loadConfig(schema, {
      INBOX_PRUNING: 'off',
      INBOX_RETENTION: '60d',
      INBOX_PRUNE_INTERVAL: '15m',
      INBOX_PRUNE_BATCH_SIZE: '500',
    });

    expect(inboxPruningFrom(config)).toEqual({
      enabled: false,
      retentionMs: 60 * 86_400_000,
      intervalMs: 900_000,
      batchSize: 500,
    });
  });

  it('given a retention under a day, a sub-second interval and an oversized batch, when loaded, then start-up stops naming each', () => {
    const load = () =>
      loadConfig(schema, { INBOX_RETENTION: '12h', INBOX_PRUNE_INTERVAL: '500ms', INBOX_PRUNE_BATCH_SIZE: '50000' });

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/INBOX_RETENTION: must be at least 86400000 ms \(1 day\)/);
    expect(load).toThrow(/INBOX_PRUNE_INTERVAL: must be at least 1000 ms/);
    expect(load).toThrow(/INBOX_PRUNE_BATCH_SIZE: /);
  });
});
