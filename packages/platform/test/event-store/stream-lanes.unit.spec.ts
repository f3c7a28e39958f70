import { StreamLanes } from '../../src/event-store/stream-lanes.js';

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

    const results = await Promise.allSettled([lanes.run('s', step('a')), lanes.run('s', step('b', true)), lanes.run('s', step('c'))]);

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

    await Promise.all([lanes.run('s1', step('a')), lanes.run('s2', step('b'))]);

    expect(log.slice(0, 2)).toEqual(['start a', 'start b']);
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
