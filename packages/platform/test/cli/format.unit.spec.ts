import {
  formatEntries,
  formatMessage,
  formatPlan,
  formatProgress,
  formatPrunable,
  formatPruned,
  formatReleaseCheck,
  formatReleased,
  formatReport,
} from '../../src/cli/format.js';
import type { DeadLetterEntry } from '../../src/consumer/dead-letter/reader.js';
import { deadLetterHeaders } from '../../src/consumer/dead-letter/headers.js';
import type { ParkedKey } from '../../src/consumer/parking/parked-keys.js';

const at = new Date('2025-03-01T09:31:00.000Z');
const source = { topic: 'order.lifecycle.created', partition: 2, key: 'order-1', timestamp: '1740821400000', headers: {} };
const failed: DeadLetterEntry = {
  partition: 2,
  offset: '0',
  key: 'order-1',
  value: Buffer.from('{"eventType":"OrderCreated","version":1}'),
  headers: {},
  info: {
    reason: 'failed',
    group: 'inventory.reservations',
    attempts: 4,
    errorClass: 'DatabaseError',
    errorMessage: `[40P01] deadlock detected ${'x'.repeat(100)}`,
    originalTopic: source.topic,
    originalPartition: 2,
    originalOffset: '17',
    originalKey: 'order-1',
    originalTimestamp: source.timestamp,
    deadLetteredAt: at.toISOString(),
  },
  status: 'pending',
};
const follower: DeadLetterEntry = {
  ...failed,
  offset: '1',
  info: { ...failed.info, reason: 'parked', attempts: 0, parkedBehind: '17', originalOffset: '18' },
};
const parked: ParkedKey = {
  key: 'order-1',
  partition: 2,
  headOffset: '17',
  lastDeadLetterOffset: '1',
  deadLettered: 2,
  replayId: null,
  parkedAt: at,
};

describe('dlt command output', () => {
  it('given entries and a parked key, when listed, then one aligned row each with the cause cut to fit', () => {
    const lines = formatEntries(source.topic, 'inventory.reservations', [failed, follower], [parked]);

    expect(lines[0]).toBe('order.lifecycle.created.DLT for inventory.reservations: 2 entries shown, 2 pending');
    expect(lines[1]).toMatch(/^DLT +STATUS +REASON +ATTEMPTS +KEY +SOURCE +WHY$/);
    expect(lines[2]).toMatch(/^2:0 +pending +failed +4 +order-1 +2:17 +DatabaseError: \[40P01\] deadlock detected x+…$/);
    expect(lines[2]?.length).toBeLessThan(160);
    expect(lines[3]).toMatch(/^2:1 +pending +parked +0 +order-1 +2:18 +parked behind 17$/);
    expect(lines.slice(4)).toEqual([
      'parked keys: 1',
      '  order-1: partition 2, behind offset 17, 2 dead-lettered since 2025-03-01T09:31:00.000Z',
    ]);
  });

  it('given a dead-letter message, when inspected, then every header is decoded and the JSON value indented', () => {
    const headers = deadLetterHeaders({ ...source, offset: '17', headers: { traceparent: Buffer.from('00-abc-def-01') } }, {
      reason: 'failed',
      group: 'inventory.reservations',
      attempts: 4,
      error: { retriable: true, errorClass: 'DatabaseError', message: 'deadlock detected' },
      at,
    });

    const lines = formatMessage('order.lifecycle.created.DLT', { ...failed, headers });

    expect(lines).toContain('  traceparent: 00-abc-def-01');
    expect(lines).toContain('  dlt-error-message: deadlock detected');
    expect(lines.slice(-5)).toEqual(['value:', '  {', '    "eventType": "OrderCreated",', '    "version": 1', '  }']);
  });

  it('given a plan, when printed, then each key lists its entries in order and stranded keys are named', () => {
    const lines = formatPlan({
      topic: source.topic,
      group: 'inventory.reservations',
      keys: [{ key: 'order-1', partition: 2, entries: [failed, follower], parked }],
      stranded: [{ ...parked, key: 'order-9' }],
    });

    expect(lines).toEqual([
      'replay of order.lifecycle.created for inventory.reservations would republish 2 entries of 1 keys, in this order:',
      '  order-1 [partition 2, parked behind offset 17]: 2:0 (failed), 2:1 (parked)',
      '  order-9 is parked but has no pending entry to replay (a copy is in flight, or its entries expired from the DLT: see release)',
    ]);
  });

  it('given a report with a key that failed again, when printed, then it is not complete', () => {
    const report = {
      replayId: 'r-1',
      plan: { topic: source.topic, group: 'inventory.reservations', keys: [], stranded: [] },
      keys: [
        { key: 'order-1', partition: 2, replayed: 2, outcome: 'unparked' as const },
        { key: 'order-2', partition: 0, replayed: 1, outcome: 'dead-lettered-again' as const },
      ],
    };

    const { lines, complete } = formatReport(report);

    expect(complete).toBe(false);
    expect(lines[1]).toBe('  order-1 [partition 2]: 2 republished, handled in order; key un-parked');
    expect(lines[2]).toContain('order-2 [partition 0]: 1 republished, failed again');
  });

  it('given a replay under way, when its progress is printed, then it counts resolved copies and finished keys', () => {
    const line = formatProgress({ replayId: 'r-1', republished: 5, resolved: 3, keys: 2, keysDone: 1 });

    expect(line).toBe('replay r-1: 3/5 copies resolved, 1/2 keys done');
  });

  const check = { topic: source.topic, group: 'inventory.reservations', key: 'order-1', parked, deadLetters: [] };

  it('given a parked key whose entries expired, when its release is checked, then it says only release can free it', () => {
    expect(formatReleaseCheck(check)).toEqual([
      'order-1 of order.lifecycle.created for inventory.reservations: parked on partition 2 behind offset 17 since 2025-03-01T09:31:00.000Z, 2 dead-lettered',
      'order.lifecycle.created.DLT holds no entries of this key for inventory.reservations (they expired): only release can free it',
    ]);
    expect(formatReleased(check)).toBe('released order-1 of order.lifecycle.created for inventory.reservations: its next message is handled');
  });

  it('given a parked key with entries left, when its release is checked, then they are listed and a replay is advised', () => {
    const lines = formatReleaseCheck({ ...check, deadLetters: [failed, { ...follower, status: 'superseded' }] });

    expect(lines.slice(1)).toEqual([
      'order.lifecycle.created.DLT still holds 2 entries of this key for inventory.reservations, 1 pending: 2:0 (pending), 2:1 (superseded)',
      'replay them to free the key in order (replay --key); release refuses without --force',
    ]);
    expect(formatReleased({ ...check, deadLetters: [failed] })).toContain(
      'order.lifecycle.created.DLT keeps 1 entry of it, and new messages of the key go ahead of them',
    );
  });

  it('given a key that is not parked, when its release is checked, then it says there is nothing to release', () => {
    expect(formatReleaseCheck({ ...check, parked: undefined })).toEqual([
      'order-1 of order.lifecycle.created for inventory.reservations is not parked: nothing to release',
    ]);
  });

  it('given prunable rows and a prune result, when printed, then each group shows its count, its topics and why it is kept', () => {
    const groups = [
      { group: 'user.read-model', rows: 1234, topics: ['user.profile.created', 'user.profile.updated'] },
      { group: 'order.saga', rows: 1, topics: ['payment.transaction.completed'] },
    ];
    const refusals = new Map([['order.saga', 'inbox retention 2 days must exceed ...']]);

    expect(formatPrunable(42 * 86_400_000, at, groups, refusals)).toEqual([
      'inbox rows handled before 2025-03-01T09:31:00.000Z (older than 42 days):',
      '  user.read-model: 1234 rows from user.profile.created, user.profile.updated',
      '  order.saga: 1 row from payment.transaction.completed',
      '    kept: inbox retention 2 days must exceed ...',
    ]);
    expect(formatPrunable(86_400_000, at, [], new Map())[1]).toBe('  none');
    expect(formatPruned('user.read-model', { kind: 'pruned', cutoff: at, deleted: 1234, batches: 2, interrupted: false })).toBe(
      '  user.read-model: 1234 rows handled before 2025-03-01T09:31:00.000Z deleted in 2 batches',
    );
    expect(formatPruned('user.read-model', { kind: 'busy' })).toContain('skipped, another session');
  });
});
