import { Batcher, type Settled } from '../../src/kafka/batcher.js';

const echoing = (seen: (readonly number[])[]) => (items: readonly number[]): Promise<Settled<number>[]> => {
  seen.push(items);
  return Promise.resolve(items.map((n) => (n < 0 ? { ok: false, error: new Error(`bad ${n}`) } : { ok: true, value: n * 10 })));
};

describe('Batcher', () => {
  it('given items submitted together, when the linger passes, then they go in one batch and each gets its own result', async () => {
    const seen: (readonly number[])[] = [];
    const batcher = new Batcher(echoing(seen), { lingerMs: 5, maxBatch: 100 });

    const results = await Promise.all([1, 2, 3].map((n) => batcher.submit(n)));

    expect(results).toEqual([10, 20, 30]);
    expect(seen).toEqual([[1, 2, 3]]);
  });

  it('given more items than the batch size, when submitted, then full batches go at once', async () => {
    const seen: (readonly number[])[] = [];
    const batcher = new Batcher(echoing(seen), { lingerMs: 5, maxBatch: 2 });

    await Promise.all([1, 2, 3].map((n) => batcher.submit(n)));

    expect(seen).toEqual([[1, 2], [3]]);
  });

  it('given one failing item, when the batch returns, then only that caller gets the error', async () => {
    const batcher = new Batcher(echoing([]), { lingerMs: 1, maxBatch: 10 });

    const results = await Promise.allSettled([batcher.submit(1), batcher.submit(-1)]);

    expect(results[0]).toEqual({ status: 'fulfilled', value: 10 });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: new Error('bad -1') });
  });

  it('given a batch that fails as a whole, when sent, then every caller gets that error', async () => {
    const batcher = new Batcher<number, number>(() => Promise.reject(new Error('down')), { lingerMs: 1, maxBatch: 10 });

    const results = await Promise.allSettled([batcher.submit(1), batcher.submit(2)]);

    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
