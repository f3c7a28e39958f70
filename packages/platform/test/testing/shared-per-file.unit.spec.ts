import { sharedPerFile } from '../../src/testing/shared-per-file.js';

interface Counter {
  readonly total: number;
  add(n: number): number;
  close(): Promise<void>;
}

describe('sharedPerFile', () => {
  const events: string[] = [];
  let earlyRead: unknown;

  describe('a spec file sharing a counter', () => {
    const shared = sharedPerFile<Counter>(
      'counter',
      () => {
        events.push('started');
        let total = 0;
        return Promise.resolve({
          get total() {
            return total;
          },
          add: (n) => (total += n),
          close: () => {
            events.push('closed');
            return Promise.resolve();
          },
        });
      },
      { total: 'value', add: 'method' },
      1_000,
    );
    try {
      earlyRead = shared.total;
    } catch (error) {
      earlyRead = error;
    }
    const { add } = shared;

    it('given the file started it, when a method taken apart at describe time is called, then it reaches the started one', () => {
      expect(add(2)).toBe(2);
      expect(add(3)).toBe(5);
    });

    it('given the file started it, when a value is read in a test, then it is the started one\'s current value', () => {
      expect(shared.total).toBe(5);
    });
  });

  it('given the file ended, when its hooks ran, then it was started once and closed once', () => {
    expect(events).toEqual(['started', 'closed']);
  });

  it('given a value read before beforeAll, when read, then it throws naming what is shared', () => {
    expect(earlyRead).toEqual(new Error('the counter is used before its beforeAll has run'));
  });
});
