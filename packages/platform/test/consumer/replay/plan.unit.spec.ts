import type { DeadLetterEntry } from '../../../src/consumer/dead-letter/reader.js';
import type { ParkedKey } from '../../../src/consumer/parking/parked-keys.js';
import { compareOffsets, planReplay } from '../../../src/consumer/replay/plan.js';

const base = {
  value: null,
  headers: {},
  info: {
    reason: 'failed' as const,
    group: 'order.saga',
    attempts: 4,
    originalTopic: 'payment.transaction.completed',
    originalPartition: 0,
    originalOffset: '0',
    originalTimestamp: '0',
    deadLetteredAt: '2025-03-01T09:31:00.000Z',
  },
  status: 'pending' as const,
};
const entry = (partition: number, offset: string, key: string | null, status: DeadLetterEntry['status'] = 'pending'): DeadLetterEntry => ({
  ...base,
  partition,
  offset,
  key,
  status,
});
const parked = (key: string, partition: number): ParkedKey => ({
  key,
  partition,
  headOffset: '0',
  lastDeadLetterOffset: '0',
  deadLettered: 1,
  replayId: null,
  parkedAt: new Date('2025-03-01T09:31:00.000Z'),
});

describe('replay plan', () => {
  const plan = (entries: DeadLetterEntry[], parkedKeys: ParkedKey[] = [], onlyKey?: string) =>
    planReplay({ topic: 't', group: 'order.saga', entries, parked: parkedKeys, ...(onlyKey === undefined ? {} : { onlyKey }) });

  it('given interleaved entries of two keys, when planned, then each key keeps its own DLT order and keys follow their first entry', () => {
    const result = plan([entry(0, '4', 'b'), entry(0, '1', 'a'), entry(0, '2', 'b'), entry(0, '9', 'a')], [parked('a', 0), parked('b', 0)]);

    expect(result.keys.map(({ key, entries }) => [key, entries.map((e) => e.offset)])).toEqual([
      ['a', ['1', '9']],
      ['b', ['2', '4']],
    ]);
    expect(result.keys[0]?.parked?.key).toBe('a');
  });

  it('given resolved entries, when planned, then only pending ones are sent back', () => {
    const result = plan([entry(0, '1', 'a', 'handled'), entry(0, '2', 'a', 'dead-lettered-again'), entry(0, '3', 'a')]);

    expect(result.keys.map(({ entries }) => entries.map((e) => e.offset))).toEqual([['3']]);
  });

  it('given messages without a key, when planned, then they are grouped per partition and never parked', () => {
    const result = plan([entry(1, '5', null), entry(0, '7', null), entry(1, '6', null)]);

    expect(result.keys.map(({ key, partition, entries, parked: state }) => [key, partition, entries.length, state])).toEqual([
      [null, 0, 1, undefined],
      [null, 1, 2, undefined],
    ]);
  });

  it('given a key filter, when planned, then only that key and its stranded state appear', () => {
    const result = plan([entry(0, '1', 'a'), entry(0, '2', 'b')], [parked('a', 0), parked('c', 0)], 'a');

    expect(result.keys.map(({ key }) => key)).toEqual(['a']);
    expect(result.stranded).toEqual([]);
  });

  it('given a parked key with nothing pending, when planned, then it is reported stranded', () => {
    const result = plan([entry(0, '1', 'a')], [parked('a', 0), parked('c', 2)]);

    expect(result.stranded.map(({ key }) => key)).toEqual(['c']);
  });

  it('given offsets of different lengths and beyond 2^53, when compared, then they compare as integers', () => {
    expect(compareOffsets('10', '9')).toBe(1);
    expect(compareOffsets('9007199254740993', '9007199254740992')).toBe(1);
    expect(compareOffsets('3', '3')).toBe(0);
    expect(compareOffsets('2', '11')).toBe(-1);
  });
});
