import type { ReplayMarker } from '../dead-letter/headers.js';
import type { ParkedKey } from './parked-keys.js';

/** What the runner does with a consumed message before looking at its content. */
export type MessageRoute =
  | { readonly kind: 'handle' }
  /** A replay's copy addressed to another group, or the dead-lettered head of a parked key seen again. */
  | { readonly kind: 'skip'; readonly why: 'replay-for-another-group' | 'dead-lettered-already' }
  /** The key is parked: the message follows the dead-lettered one into the DLT, in order. */
  | { readonly kind: 'follow'; readonly parked: ParkedKey };

/** What `routeMessage` decides from. */
export interface RouteInput {
  readonly group: string;
  readonly offset: string;
  /** Set when the message is a replay's copy of a dead-letter entry. */
  readonly replay: ReplayMarker | undefined;
  /** The key's parked state; `undefined` when the key is free or the message has no key. */
  readonly parked: ParkedKey | undefined;
}

/**
 * Decides how a message passes a parked key. A free key is handled. On a parked key, a replay's copy
 * is handled only by the replay the key was handed to (any other copy follows, so it cannot overtake
 * the entry that stopped that replay); a message its producer published follows if it is newer than
 * the dead-lettered head, is skipped if it is the head itself (delivered again after a restart), and
 * is handled if older (a redelivery the inbox will recognise).
 */
export function routeMessage({ group, offset, replay, parked }: RouteInput): MessageRoute {
  if (isReplayForAnotherGroup(group, replay)) return { kind: 'skip', why: 'replay-for-another-group' };
  if (parked === undefined) return { kind: 'handle' };
  if (replay !== undefined) return replay.replayId === parked.replayId ? { kind: 'handle' } : { kind: 'follow', parked };
  const position = BigInt(offset);
  const head = BigInt(parked.headOffset);
  if (position > head) return { kind: 'follow', parked };
  return position === head ? { kind: 'skip', why: 'dead-lettered-already' } : { kind: 'handle' };
}

/** A replay's copy addressed to another group: skipped whatever its key's state or its content. */
export function isReplayForAnotherGroup(group: string, replay: ReplayMarker | undefined): boolean {
  return replay !== undefined && replay.group !== group;
}
