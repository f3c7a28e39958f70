import { AppendBatcher, type AppendExecutor, type PendingAppend } from '../../src/event-store/append-batcher.js';

class DatabaseRefusal extends Error {}

/** An executor whose transactions finish when the test says so, recording what each carried. */
function controlledExecutor({ failMany }: { readonly failMany?: Error } = {}) {
  const transactions: string[][] = [];
  const pending: (() => void)[] = [];
  const finishOne = async (): Promise<void> => {
    await Promise.resolve();
    pending.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  const executor: AppendExecutor = {
    appendOne: (append) =>
      new Promise((resolve, reject) => {
        transactions.push([append.streamId]);
        pending.push(() => {
          if (append.streamId.startsWith('stale')) resolve(append.expectedVersion + 1);
          else if (append.streamId.startsWith('broken')) reject(new DatabaseRefusal(append.streamId));
          else resolve(append.expectedVersion);
        });
      }),
    appendMany: (appends) =>
      new Promise((resolve, reject) => {
        transactions.push(appends.map((a) => a.streamId));
        pending.push(() => {
          if (failMany !== undefined) reject(failMany);
          else resolve(appends.map((a) => a.expectedVersion));
        });
      }),
    isRetriableAlone: (error) => error instanceof DatabaseRefusal,
  };
  return { executor, transactions, finishOne };
}

const append = (streamId: string, bytes = 10): PendingAppend => ({ streamId, expectedVersion: 3, request: 'x'.repeat(bytes) });

describe('append batcher (client-side group commit)', () => {
  it('given free transaction slots, when appends arrive, then each leaves at once, alone', async () => {
    const { executor, transactions, finishOne } = controlledExecutor();
    const batcher = new AppendBatcher(executor, { maxInFlight: 2 });

    const done = [batcher.submit(append('a')), batcher.submit(append('b'))];
    await finishOne();
    await finishOne();

    await expect(Promise.all(done)).resolves.toEqual([3, 3]);
    expect(transactions).toEqual([['a'], ['b']]);
  });

  it('given every slot busy, when more appends arrive, then they wait and leave together when a slot frees', async () => {
    const { executor, transactions, finishOne } = controlledExecutor();
    const batcher = new AppendBatcher(executor, { maxInFlight: 1 });

    const done = ['a', 'b', 'c', 'd'].map((id) => batcher.submit(append(id)));
    await finishOne();
    await finishOne();

    await expect(Promise.all(done)).resolves.toEqual([3, 3, 3, 3]);
    expect(transactions).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('given waiting appends beyond the count and byte limits, when a slot frees, then batches stay within both', async () => {
    const { executor, transactions, finishOne } = controlledExecutor();
    const batcher = new AppendBatcher(executor, { maxInFlight: 1, maxAppends: 2, maxBytes: 25 });

    const done = [
      batcher.submit(append('first')),
      batcher.submit(append('a')),
      batcher.submit(append('b')),
      batcher.submit(append('c')),
      batcher.submit(append('d', 20)),
      batcher.submit(append('huge', 100)),
    ];
    for (let i = 0; i < 5; i += 1) await finishOne();

    await Promise.all(done);
    expect(transactions).toEqual([['first'], ['a', 'b'], ['c'], ['d'], ['huge']]);
  });

  it('given a shared transaction the database refused, when it fails, then each append is tried alone and gets its own outcome', async () => {
    const { executor, transactions, finishOne } = controlledExecutor({ failMany: new DatabaseRefusal('batch') });
    const batcher = new AppendBatcher(executor, { maxInFlight: 1 });

    const settled = Promise.allSettled(['first', 'ok', 'stale', 'broken'].map((id) => batcher.submit(append(id))));
    for (let i = 0; i < 5; i += 1) await finishOne();
    const outcomes = await settled;

    expect(transactions).toEqual([['first'], ['ok', 'stale', 'broken'], ['ok'], ['stale'], ['broken']]);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual([3, 3, 4, 'broken']);
  });

  it('given a shared transaction whose outcome is unknown, when it fails, then its appends all fail with that error and are not sent again', async () => {
    const lost = new Error('connection lost');
    const { executor, transactions, finishOne } = controlledExecutor({ failMany: lost });
    const batcher = new AppendBatcher(executor, { maxInFlight: 1 });

    const settled = Promise.allSettled(['first', 'a', 'b'].map((id) => batcher.submit(append(id))));
    await finishOne();
    await finishOne();
    const outcomes = await settled;

    expect(transactions).toEqual([['first'], ['a', 'b']]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(outcomes[1]).toMatchObject({ reason: lost });
  });

  it('given a limit that is not a whole number >= 1, when constructed, then it is refused by name', () => {
    const { executor } = controlledExecutor();

    expect(() => new AppendBatcher(executor, { maxInFlight: 0 })).toThrow(/maxInFlight/);
  });
});
