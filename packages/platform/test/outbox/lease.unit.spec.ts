import { Lease } from '../../src/outbox/lease.js';

describe('leader lease', () => {
  let now = 0;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000;
  });

  it('given a lease started at connect, when nothing is confirmed, then it holds until its validity has passed', () => {
    const lease = new Lease(4_000, 1_000, clock);

    now = 4_999;
    expect(lease.holds).toBe(true);
    now = 5_000;
    expect(lease.holds).toBe(false);
    expect(lease.silentForMs).toBe(4_000);
  });

  it('given a heartbeat answered late, when confirmed, then the lease runs from when it was sent, not from the answer', () => {
    const lease = new Lease(4_000, 1_000, clock);
    now = 4_500;

    lease.confirm(2_000);

    now = 5_999;
    expect(lease.holds).toBe(true);
    now = 6_000;
    expect(lease.holds).toBe(false);
  });

  it('given answers arriving out of order, when an older one comes last, then it does not shorten the lease', () => {
    const lease = new Lease(4_000, 1_000, clock);

    lease.confirm(3_000);
    lease.confirm(2_000);

    now = 6_500;
    expect(lease.holds).toBe(true);
  });
});
