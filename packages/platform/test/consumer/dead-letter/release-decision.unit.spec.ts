import type { DeadLetterEntry } from '../../../src/consumer/dead-letter/reader.js';
import { decideRelease, type ReleaseCheck } from '../../../src/consumer/dead-letter/release.js';
import type { ParkedKey } from '../../../src/consumer/parking/parked-keys.js';

const parked: ParkedKey = {
  key: 'order-1',
  partition: 2,
  headOffset: '17',
  lastDeadLetterOffset: '4',
  deadLettered: 2,
  replayId: null,
  parkedAt: new Date('2025-03-01T09:31:00.000Z'),
};
const entry: DeadLetterEntry = {
  partition: 2,
  offset: '4',
  key: 'order-1',
  value: null,
  headers: {},
  info: {
    reason: 'failed',
    group: 'inventory.reservations',
    attempts: 4,
    originalTopic: 'order.lifecycle.created',
    originalPartition: 2,
    originalOffset: '17',
    originalTimestamp: '0',
    deadLetteredAt: '2025-03-01T09:31:00.000Z',
  },
  status: 'pending',
};
const check = (overrides: Partial<ReleaseCheck>): ReleaseCheck => ({
  topic: 'order.lifecycle.created',
  group: 'inventory.reservations',
  key: 'order-1',
  parked,
  deadLetters: [],
  ...overrides,
});

describe('releasing a parked key', () => {
  it('given a parked key whose dead letters expired, when decided, then it is released', () => {
    expect(decideRelease(check({}), false)).toEqual({ kind: 'release', parked });
  });

  it('given a parked key with entries still in the DLT, when decided without force, then it is refused', () => {
    expect(decideRelease(check({ deadLetters: [entry] }), false)).toEqual({ kind: 'refuse', why: 'dead-letters-remain' });
  });

  it('given entries a replay resolved already, when decided without force, then they still refuse the release', () => {
    expect(decideRelease(check({ deadLetters: [{ ...entry, status: 'handled' }] }), false)).toEqual({
      kind: 'refuse',
      why: 'dead-letters-remain',
    });
  });

  it('given a parked key with entries still in the DLT, when decided with force, then it is released', () => {
    expect(decideRelease(check({ deadLetters: [entry] }), true)).toEqual({ kind: 'release', parked });
  });

  it.each([false, true])('given a key that is not parked, when decided (force %s), then it is refused', (force) => {
    expect(decideRelease(check({ parked: undefined }), force)).toEqual({ kind: 'refuse', why: 'not-parked' });
  });
});
