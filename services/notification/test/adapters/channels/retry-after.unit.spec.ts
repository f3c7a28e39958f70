import { retryAfterMs } from '../../../src/adapters/channels/retry-after.js';

describe('Retry-After', () => {
  const now = Date.parse('2026-12-01T10:00:00Z');

  it('given delta-seconds, when read, then it is that many seconds in ms', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
  });

  it('given an HTTP date, when read, then it is the time until then, and no wait once past', () => {
    expect(retryAfterMs('Tue, 01 Dec 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Tue, 01 Dec 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('given no header or an unreadable one, when read, then there is no advice', () => {
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-5', now)).toBeUndefined();
  });
});
