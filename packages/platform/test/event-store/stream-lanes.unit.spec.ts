import { StreamLanes } from '../../src/event-store/stream-lanes.js';

const open = (): Error | undefined => undefined;

describe('stream lanes', () => {
  it('given work on one stream, when more is queued, then it runs one at a time in order, even after a failure', async () => {
    const lanes = new StreamLanes(10);
    const log: string[] = [];
    const step = (name: string, fail = false) => async () => {
      log.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    };

    const results = await Promise.allSettled([lanes.run('s', open, step('a')), lanes.run('s', open, step('b', true)), lanes.run('s', open, step('c'))]);

    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('given work on two streams, when queued together, then they run side by side', async () => {
    const lanes = new StreamLanes(10);
    const log: string[] = [];
    const step = (name: string) => async () => {
      log.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`end ${name}`);
    };

    await Promise.all([lanes.run('s1', open, step('a')), lanes.run('s2', open, step('b'))]);

    expect(log.slice(0, 2)).toEqual(['start a', 'start b']);
  });

  it('given waiters made stale while the stream was busy, when it frees up, then they all fail at once and a later fresh one runs', async () => {
    const lanes = new StreamLanes(10);
    let version = 0;
    const staleUnless = (expected: number) => () => (expected < version ? new Error(`stale ${expected}`) : undefined);
    const ran: number[] = [];
    const append = (expected: number) =>
      lanes.run('s', staleUnless(expected), async () => {
        ran.push(expected);
        await new Promise((resolve) => setTimeout(resolve, 5));
        version = expected + 1;
      });

    const first = append(0);
    const losers = [append(0), append(0), append(0)];
    await first;
    const outcomes = await Promise.allSettled(losers);
    await append(1);

    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(ran).toEqual([0, 1]);
  });

  it('given a refusal before anything runs, when run, then the work never starts', async () => {
    const lanes = new StreamLanes(10);
    let started = false;

    const run = lanes.run('s', () => new Error('stale'), () => {
      started = true;
      return Promise.resolve();
    });

    await expect(run).rejects.toThrow('stale');
    expect(started).toBe(false);
  });

  it('given versions remembered, when a lower one arrives, then the highest is kept', () => {
    const lanes = new StreamLanes(10);

    lanes.remember('s', 5);
    lanes.remember('s', 3);

    expect(lanes.knownVersion('s')).toBe(5);
    expect(lanes.knownVersion('other')).toBeUndefined();
  });

  it('given more streams than the capacity, when one more is remembered, then the least recently used is forgotten', () => {
    const lanes = new StreamLanes(2);

    lanes.remember('a', 1);
    lanes.remember('b', 1);
    lanes.remember('a', 2);
    lanes.remember('c', 1);

    expect([lanes.knownVersion('a'), lanes.knownVersion('b'), lanes.knownVersion('c')]).toEqual([2, undefined, 1]);
  });
});
