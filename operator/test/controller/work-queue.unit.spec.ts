import { jest } from '@jest/globals';
import { WorkQueue } from '../../src/controller/work-queue.js';

const options = { retryBaseMs: 100, retryMaxMs: 1000 };

describe('WorkQueue', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('given a key added twice, when taken, then it is handed out once', async () => {
    const queue = new WorkQueue(options);
    queue.add('msa/a');
    queue.add('msa/a');
    queue.add('msa/b');

    expect(queue.depth).toBe(2);
    expect(await queue.next()).toBe('msa/a');
    expect(await queue.next()).toBe('msa/b');
    expect(queue.depth).toBe(0);
  });

  it('given a key being processed, when added again, then it comes back only after done', async () => {
    const queue = new WorkQueue(options);
    queue.add('msa/a');
    const key = await queue.next();

    queue.add('msa/a');
    expect(queue.depth).toBe(0);

    queue.done('msa/a');
    expect(key).toBe('msa/a');
    expect(queue.depth).toBe(1);
  });

  it('given a worker waiting, when a key is added, then the worker gets it at once', async () => {
    const queue = new WorkQueue(options);
    const waiting = queue.next();

    queue.add('msa/a');

    expect(await waiting).toBe('msa/a');
    queue.add('msa/a');
    expect(queue.depth).toBe(0);
  });

  it('given repeated failures, when retried, then the delay doubles up to the maximum and forget resets it', () => {
    const queue = new WorkQueue(options);

    expect([1, 2, 3, 4, 5].map(() => queue.retry('msa/a'))).toEqual([100, 200, 400, 800, 1000]);
    queue.forget('msa/a');
    expect(queue.retry('msa/a')).toBe(100);
    queue.shutdown();
  });

  it('given a retry, when its delay passes, then the key is queued again', () => {
    jest.useFakeTimers();
    const queue = new WorkQueue(options);

    queue.retry('msa/a');
    jest.advanceTimersByTime(99);
    expect(queue.depth).toBe(0);
    jest.advanceTimersByTime(1);
    expect(queue.depth).toBe(1);
  });

  it('given two delayed adds, when time passes, then only the earlier one queues the key', () => {
    jest.useFakeTimers();
    const queue = new WorkQueue(options);

    queue.addAfter('msa/a', 500);
    queue.addAfter('msa/a', 50);
    jest.advanceTimersByTime(50);
    expect(queue.depth).toBe(1);
    void queue.next();
    queue.done('msa/a');
    jest.advanceTimersByTime(1000);
    expect(queue.depth).toBe(0);
  });

  it('given a shut-down queue, when a worker waits, then it gets undefined and adds are ignored', async () => {
    const queue = new WorkQueue(options);
    const waiting = queue.next();

    queue.shutdown();
    queue.add('msa/a');

    expect(await waiting).toBeUndefined();
    expect(await queue.next()).toBeUndefined();
  });
});
