import { z } from 'zod';
import { ConfigError, inboxPruningFrom, inboxPruningVariables, loadConfig } from '../../src/index.js';

const schema = z.object(inboxPruningVariables);

function problemsOf(run: () => unknown): ConfigError['problems'] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

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
    const problems = problemsOf(() =>
      loadConfig(schema, { INBOX_RETENTION: '12h', INBOX_PRUNE_INTERVAL: '500ms', INBOX_PRUNE_BATCH_SIZE: '50000' }),
    );

    expect(problems.map((problem) => problem.variable).sort()).toEqual([
      'INBOX_PRUNE_BATCH_SIZE',
      'INBOX_PRUNE_INTERVAL',
      'INBOX_RETENTION',
    ]);
    expect(problems.find((problem) => problem.variable === 'INBOX_RETENTION')?.message).toMatch(/at least 86400000 ms/);
  });
});
