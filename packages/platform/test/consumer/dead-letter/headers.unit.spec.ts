import {
  deadLetterHeaders,
  DLT_HEADER,
  readDeadLetterInfo,
  readReplayMarker,
  replayHeaders,
} from '../../../src/consumer/dead-letter/headers.js';
import type { SourceRecord } from '../../../src/consumer/handlers.js';

const source: SourceRecord = {
  topic: 'user.profile.created',
  partition: 2,
  offset: '41',
  key: 'user-7',
  timestamp: '1740821400000',
  headers: { traceparent: Buffer.from('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'), 'event-id': 'e-1' },
};
const at = new Date('2025-03-01T09:31:00.000Z');
const replayId = '0b7c3f7e-7a0e-4c55-9a43-2f0f7b4f3c11';

describe('dead-letter headers', () => {
  it('given a failed message, when dead-lettered, then headers say why, from where, how often and for whom', () => {
    const headers = deadLetterHeaders(source, {
      reason: 'failed',
      group: 'user.read-model',
      attempts: 4,
      error: { retriable: true, errorClass: 'DatabaseError', message: '[40001] could not serialize access' },
      at,
    });

    expect(readDeadLetterInfo(headers)).toEqual({
      reason: 'failed',
      group: 'user.read-model',
      attempts: 4,
      errorClass: 'DatabaseError',
      errorMessage: '[40001] could not serialize access',
      originalTopic: 'user.profile.created',
      originalPartition: 2,
      originalOffset: '41',
      originalKey: 'user-7',
      originalTimestamp: '1740821400000',
      deadLetteredAt: '2025-03-01T09:31:00.000Z',
    });
  });

  it('given original headers, when dead-lettered, then they travel unchanged beside the dlt headers', () => {
    const headers = deadLetterHeaders(source, { reason: 'unparseable', group: 'g', attempts: 1, at });

    expect(headers.traceparent).toBe(source.headers.traceparent);
    expect(headers['event-id']).toBe('e-1');
  });

  it('given a message following a parked key, when dead-lettered, then it names the offset it is parked behind', () => {
    const headers = deadLetterHeaders({ ...source, offset: '45' }, { reason: 'parked', group: 'g', attempts: 0, parkedBehind: '41', at });

    expect(headers[DLT_HEADER.parkedBehind]).toBe('41');
    expect(headers[DLT_HEADER.errorClass]).toBeUndefined();
    expect(readDeadLetterInfo(headers)).toMatchObject({ reason: 'parked', attempts: 0, parkedBehind: '41' });
  });

  it('given a message that was dead-lettered before, when dead-lettered again, then only the new dlt headers remain', () => {
    const first = deadLetterHeaders(source, { reason: 'failed', group: 'g', attempts: 4, parkedBehind: '3', at });

    const second = deadLetterHeaders({ ...source, headers: first }, { reason: 'unparseable', group: 'g', attempts: 1, at });

    expect(second[DLT_HEADER.parkedBehind]).toBeUndefined();
    expect(second[DLT_HEADER.reason]).toBe('unparseable');
  });

  it('given a very long error message, when dead-lettered, then it is cut to 2000 characters', () => {
    const error = { retriable: false, errorClass: 'Error', message: 'x'.repeat(5_000) };

    const headers = deadLetterHeaders(source, { reason: 'failed', group: 'g', attempts: 1, error, at });

    expect(String(headers[DLT_HEADER.errorMessage])).toHaveLength(2_000);
  });

  it('given a message without a key, when dead-lettered, then no key header is written', () => {
    const headers = deadLetterHeaders({ ...source, key: null }, { reason: 'unparseable', group: 'g', attempts: 1, at });

    expect(headers[DLT_HEADER.originalKey]).toBeUndefined();
    expect(readDeadLetterInfo(headers)?.originalKey).toBeUndefined();
  });

  it('given headers a producer wrote, when read as dead-letter info, then there is none', () => {
    expect(readDeadLetterInfo(source.headers)).toBeUndefined();
  });
});

describe('replay headers', () => {
  it('given a dead-letter entry, when copied for replay, then the dlt headers go and the marker comes', () => {
    const entry = deadLetterHeaders(source, { reason: 'failed', group: 'g', attempts: 4, at });

    const copy = replayHeaders(entry, { group: 'g', replayId, deadLetterOffset: '7' });

    expect(Object.keys(copy).filter((name) => name.startsWith('dlt-'))).toEqual([]);
    expect(copy.traceparent).toBe(source.headers.traceparent);
    expect(readReplayMarker(copy)).toEqual({ group: 'g', replayId, deadLetterOffset: '7' });
  });

  it('given a copy that is replayed again, when copied, then the old marker is replaced', () => {
    const first = replayHeaders({}, { group: 'g', replayId, deadLetterOffset: '7' });
    const nextId = '5d9f3a4e-1b2c-4d3e-8f4a-5b6c7d8e9f00';

    const second = replayHeaders(first, { group: 'g', replayId: nextId, deadLetterOffset: '12' });

    expect(readReplayMarker(second)).toEqual({ group: 'g', replayId: nextId, deadLetterOffset: '12' });
  });

  it('given a message its producer published, when read for a replay marker, then there is none', () => {
    expect(readReplayMarker(source.headers)).toBeUndefined();
  });
});
