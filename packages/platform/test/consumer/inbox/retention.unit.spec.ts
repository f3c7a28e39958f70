import {
  DEFAULT_INBOX_RETENTION_MS,
  inboxPruningSchema,
  inboxRetentionProblem,
  MIN_INBOX_RETENTION_MS,
  nextPruneDelayMs,
} from '../../../src/consumer/inbox/retention.js';

const DAY = 86_400_000;

describe('inbox retention', () => {
  it('given no pruning options, when parsed, then pruning is on, keeping rows six weeks and deleting 1000 an hour apart', () => {
    expect(inboxPruningSchema.parse(undefined)).toEqual({
      enabled: true,
      retentionMs: 42 * DAY,
      intervalMs: 3_600_000,
      batchSize: 1_000,
    });
    expect(DEFAULT_INBOX_RETENTION_MS).toBeGreaterThan(7 * DAY + 28 * DAY);
  });

  it.each([
    ['a retention under a day', { retentionMs: DAY - 1 }, 'retentionMs', /at least 86400000 ms \(1 day\)/],
    ['a fractional retention', { retentionMs: 1.5 * DAY + 0.5 }, 'retentionMs', /expected int/],
    ['an interval under a second', { intervalMs: 999 }, 'intervalMs', /1000/],
    ['an empty batch', { batchSize: 0 }, 'batchSize', /1/],
    ['a huge batch', { batchSize: 10_001 }, 'batchSize', /10000/],
  ])('given %s, when parsed, then it is refused naming the field', (_case, options, field, message) => {
    const result = inboxPruningSchema.safeParse(options);

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
    expect(result.error?.issues[0]?.message).toMatch(message);
  });

  it('given exactly a day, when parsed, then it is the smallest retention accepted', () => {
    expect(inboxPruningSchema.parse({ retentionMs: MIN_INBOX_RETENTION_MS }).retentionMs).toBe(DAY);
  });

  it.each([
    [0, 48_000],
    [0.5, 60_000],
    [0.999, 71_976],
  ])('given a random draw of %s, when the next prune is scheduled, then it waits within 20%% of the interval (%s ms)', (draw, delay) => {
    expect(nextPruneDelayMs(60_000, () => draw)).toBe(delay);
  });

  it('given topics whose retention plus their DLT’s is shorter, when checked, then there is no problem', () => {
    const topics = [
      { topic: 'user.profile.created', source: 7 * DAY, deadLetter: 28 * DAY },
      { topic: 'user.profile.updated', source: 7 * DAY, deadLetter: 28 * DAY },
    ];

    expect(inboxRetentionProblem(42 * DAY, topics)).toBeUndefined();
  });

  it('given a topic whose retention plus its DLT’s reaches the inbox retention, when checked, then the topic and both retentions are named', () => {
    const problem = inboxRetentionProblem(35 * DAY, [
      { topic: 'user.profile.created', source: 1 * DAY, deadLetter: 2 * DAY },
      { topic: 'order.lifecycle.created', source: 7 * DAY, deadLetter: 28 * DAY },
    ]);

    expect(problem).toBe(
      "inbox retention 35 days must exceed each topic's retention plus its DLT's: order.lifecycle.created keeps messages 7 days and its DLT 28 days",
    );
  });

  it('given a DLT that keeps messages forever, when checked, then pruning is said to be unsafe at any retention', () => {
    const problem = inboxRetentionProblem(365 * DAY, [{ topic: 'user.profile.created', source: 7 * DAY, deadLetter: 'forever' }]);

    expect(problem).toContain('user.profile.created or its DLT keeps messages forever');
    expect(problem).toContain('disable inbox pruning');
  });
});
