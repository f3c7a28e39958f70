import { WakeSignal } from '../../src/outbox/wake-signal.js';

describe('wake signal', () => {
  const never = new AbortController().signal;

  it('given a notification before the wait, when waiting, then the wait returns at once', async () => {
    const wake = new WakeSignal();
    wake.notify();
    const started = Date.now();

    const notified = await wake.wait(5_000, never);

    expect(notified).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('given a cleared notification, when waiting, then the wait lasts until the timeout', async () => {
    const wake = new WakeSignal();
    wake.notify();
    wake.clear();
    const started = Date.now();

    const notified = await wake.wait(50, never);

    expect(notified).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('given a waiter, when notified or aborted, then it returns before the timeout, saying which', async () => {
    const wake = new WakeSignal();
    const stop = new AbortController();
    const started = Date.now();

    const notified = wake.wait(5_000, never);
    wake.notify();
    const byNotification = await notified;
    wake.clear();
    const aborted = wake.wait(5_000, stop.signal);
    stop.abort();
    const byAbort = await aborted;

    expect([byNotification, byAbort]).toEqual([true, false]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
