import type { ReplayMarker } from '../../../src/consumer/dead-letter/headers.js';
import type { ParkedKey } from '../../../src/consumer/parking/parked-keys.js';
import { routeMessage } from '../../../src/consumer/parking/route.js';

const group = 'order.saga';
const replayId = '0b7c3f7e-7a0e-4c55-9a43-2f0f7b4f3c11';
const parked: ParkedKey = {
  key: 'order-1',
  partition: 0,
  headOffset: '10',
  lastDeadLetterOffset: '3',
  deadLettered: 2,
  replayId: null,
  parkedAt: new Date('2025-03-01T09:31:00.000Z'),
};
const copy = (overrides: Partial<ReplayMarker> = {}): ReplayMarker => ({ group, replayId, deadLetterOffset: '2', ...overrides });

describe('routing a message past parked keys', () => {
  it('given a free key, when a message arrives, then it is handled', () => {
    expect(routeMessage({ group, offset: '11', replay: undefined, parked: undefined })).toEqual({ kind: 'handle' });
  });

  it('given a parked key, when a newer message arrives, then it follows the head into the DLT', () => {
    expect(routeMessage({ group, offset: '11', replay: undefined, parked })).toEqual({ kind: 'follow', parked });
  });

  it('given a parked key, when its dead-lettered head is delivered again, then it is skipped', () => {
    expect(routeMessage({ group, offset: '10', replay: undefined, parked })).toEqual({
      kind: 'skip',
      why: 'dead-lettered-already',
    });
  });

  it('given a parked key, when an older message is delivered again, then it is handled (the inbox knows it)', () => {
    expect(routeMessage({ group, offset: '9', replay: undefined, parked })).toEqual({ kind: 'handle' });
  });

  it('given a key handed to a replay, when that replay’s copy arrives, then it is handled', () => {
    const handedOver = { ...parked, replayId };

    expect(routeMessage({ group, offset: '50', replay: copy(), parked: handedOver })).toEqual({ kind: 'handle' });
  });

  it('given a key not handed to this replay, when its copy arrives, then it follows into the DLT', () => {
    const stopped = { ...parked, replayId: null };

    expect(routeMessage({ group, offset: '50', replay: copy(), parked: stopped })).toEqual({ kind: 'follow', parked: stopped });
  });

  it('given a copy for another group, when it arrives, then it is skipped whatever the key state', () => {
    expect(routeMessage({ group, offset: '50', replay: copy({ group: 'order.read-model' }), parked: undefined })).toEqual({
      kind: 'skip',
      why: 'replay-for-another-group',
    });
  });

  it('given a free key, when a copy arrives, then it is handled', () => {
    expect(routeMessage({ group, offset: '50', replay: copy(), parked: undefined })).toEqual({ kind: 'handle' });
  });

  it('given offsets beyond 2^53, when compared, then they compare exactly', () => {
    const far = { ...parked, headOffset: '9007199254740993' };

    expect(routeMessage({ group, offset: '9007199254740992', replay: undefined, parked: far }).kind).toBe('handle');
    expect(routeMessage({ group, offset: '9007199254740994', replay: undefined, parked: far }).kind).toBe('follow');
  });
});
