import { pino } from 'pino';
import { LeaderElector, leaseStep } from '../../src/controller/leader-election.js';
import type { LeaseRecord, LeaseStore, StoredLease } from '../../src/kube/lease-store.js';

const lease = (holder: string): LeaseRecord => ({
  holder,
  durationMs: 3000,
  acquireTime: new Date(0),
  renewTime: new Date(0),
  transitions: 2,
});

describe('leaseStep', () => {
  it('given no lease, when deciding, then it is created', () => {
    expect(leaseStep(undefined, 'me', 0)).toEqual({ kind: 'create' });
  });

  it('given a lease this replica holds, when deciding, then it is renewed', () => {
    expect(leaseStep(lease('me'), 'me', 10_000)).toEqual({ kind: 'renew' });
  });

  it('given a lease another replica renews, when deciding, then this replica waits', () => {
    expect(leaseStep(lease('other'), 'me', 2999)).toEqual({ kind: 'wait', holder: 'other' });
  });

  it('given a lease unchanged for a whole duration, when deciding, then it is taken over', () => {
    expect(leaseStep(lease('other'), 'me', 3000)).toEqual({ kind: 'takeOver' });
  });

  it('given a released lease, when deciding, then it is taken over at once', () => {
    expect(leaseStep(lease(''), 'me', 0)).toEqual({ kind: 'takeOver' });
  });
});

/** A Lease kept in memory with the optimistic concurrency of the API server. */
class MemoryLeaseStore implements LeaseStore {
  stored: StoredLease | undefined;
  private version = 0;

  get(): Promise<StoredLease | undefined> {
    return Promise.resolve(this.stored);
  }

  create(record: LeaseRecord): Promise<void> {
    if (this.stored) return Promise.reject(Object.assign(new Error('exists'), { code: 409 }));
    this.stored = { record, resourceVersion: String(++this.version) };
    return Promise.resolve();
  }

  replace(record: LeaseRecord, resourceVersion: string): Promise<void> {
    if (this.stored?.resourceVersion !== resourceVersion) return Promise.reject(Object.assign(new Error('conflict'), { code: 409 }));
    this.stored = { record, resourceVersion: String(++this.version) };
    return Promise.resolve();
  }
}

const until = async (check: () => boolean) => {
  const deadline = Date.now() + 3000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('LeaderElector', () => {
  const logger = pino({ level: 'silent' });

  it('given two replicas on one lease, when both campaign, then one leads and the other takes over once it stops', async () => {
    const store = new MemoryLeaseStore();
    const events: string[] = [];
    const elector = (id: string) =>
      new LeaderElector(
        store,
        {
          identity: id,
          leaseDurationMs: 600,
          onStartedLeading: () => events.push(`${id} leads`),
          onStoppedLeading: () => events.push(`${id} stops`),
        },
        logger,
      );
    const a = elector('a');
    const b = elector('b');

    a.start();
    await until(() => a.isLeader);
    b.start();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(b.isLeader).toBe(false);

    await a.stop();
    await until(() => b.isLeader);
    await b.stop();

    expect(events).toEqual(['a leads', 'a stops', 'b leads', 'b stops']);
    expect(store.stored?.record).toMatchObject({ holder: '', transitions: 1 });
  });

  it('given a leader whose lease another replica took, when it next renews, then it steps down', async () => {
    const store = new MemoryLeaseStore();
    let leading = false;
    const a = new LeaderElector(
      store,
      { identity: 'a', leaseDurationMs: 600, onStartedLeading: () => (leading = true), onStoppedLeading: () => (leading = false) },
      logger,
    );
    a.start();
    await until(() => leading);

    const current = store.stored;
    if (current) await store.replace({ ...current.record, holder: 'b' }, current.resourceVersion);

    await until(() => !leading);
    expect(a.isLeader).toBe(false);
    await a.stop();
  });
});
