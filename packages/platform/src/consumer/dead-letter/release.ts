import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { findParkedKey, releaseParkedKeyRow, type ParkedKey } from '../parking/parked-keys.js';
import { acquireReplayLock } from '../replay/replay.js';
import { listDeadLetters, type DeadLetterEntry } from './reader.js';

/** The parked key to release. */
export interface ReleaseTarget {
  readonly kafka: Kafka;
  /** The consumer group's database. */
  readonly pool: Pool;
  /** The source topic, not its `.DLT`. */
  readonly topic: string;
  readonly group: string;
  readonly key: string;
}

/** A key's parked state beside what the DLT still holds of it for the group. */
export interface ReleaseCheck {
  readonly topic: string;
  readonly group: string;
  readonly key: string;
  /** `undefined` when the key is not parked. */
  readonly parked: ParkedKey | undefined;
  /** The group's entries of this key still in the DLT, whatever a replay made of them. */
  readonly deadLetters: readonly DeadLetterEntry[];
}

/** What a release may do: free the key, or why not. */
export type ReleaseDecision =
  | { readonly kind: 'release'; readonly parked: ParkedKey }
  | { readonly kind: 'refuse'; readonly why: 'not-parked' | 'dead-letters-remain' };

/**
 * Whether a key may be released. It must be parked; and while the DLT still holds entries of it a
 * replay is the way to free it in order, so only `force` releases it then, letting new messages of the
 * key overtake those entries.
 */
export function decideRelease(check: ReleaseCheck, force: boolean): ReleaseDecision {
  if (check.parked === undefined) return { kind: 'refuse', why: 'not-parked' };
  if (check.deadLetters.length > 0 && !force) return { kind: 'refuse', why: 'dead-letters-remain' };
  return { kind: 'release', parked: check.parked };
}

/** The key is not parked, or the DLT still holds entries of it and `force` was not given. */
export class ReleaseRefusedError extends Error {
  override readonly name = 'ReleaseRefusedError';
}

/**
 * The key's parked state and its entries still in the DLT: what `release` would act on (the dry run).
 * The parked row is read before the DLT, so an entry written after the read (a message that followed
 * the key meanwhile) shows up either here or as a changed row when the key is released.
 */
export async function checkRelease(target: ReleaseTarget): Promise<ReleaseCheck> {
  const { topic, group, key } = target;
  const parked = await findParkedKey(target.pool, group, topic, key);
  const deadLetters = (await listDeadLetters(target, topic, group)).filter((entry) => entry.key === key);
  return { topic, group, key, parked, deadLetters };
}

/**
 * Un-parks a key whose dead letters expired from the DLT (a replay has nothing to send back, so it
 * would stay parked forever), or, with `force`, one whose entries are still there. It holds the
 * replay lock of the topic and group, so no replay runs meanwhile, and deletes the parked row only if
 * it is still the one checked: a message that followed the key into the DLT in between keeps it
 * parked. The runner reads the parked state for every message, so the key's next message is handled.
 *
 * @throws ReleaseRefusedError when the key is not parked, when entries remain without `force`, or
 * when the key changed while it was checked; ReplayInProgressError while a replay of the topic runs.
 */
export async function releaseParkedKey(
  target: ReleaseTarget & { readonly force: boolean; readonly logger: Logger },
): Promise<ReleaseCheck> {
  const lock = await acquireReplayLock(target.pool, target.group, target.topic);
  try {
    const check = await checkRelease(target);
    const decision = decideRelease(check, target.force);
    if (decision.kind === 'refuse') throw new ReleaseRefusedError(refusal(check, decision.why));
    if (!(await releaseParkedKeyRow(lock.client, target.group, target.topic, decision.parked))) {
      throw new ReleaseRefusedError(
        `${target.key} changed while it was checked (a message followed it into the DLT); check it again`,
      );
    }
    target.logger.info(
      { topic: target.topic, group: target.group, key: target.key, deadLetters: check.deadLetters.length, force: target.force },
      'parked key released by hand',
    );
    return check;
  } finally {
    await lock.release();
  }
}

function refusal(check: ReleaseCheck, why: 'not-parked' | 'dead-letters-remain'): string {
  const where = `${check.key} of ${check.topic} for ${check.group}`;
  if (why === 'not-parked') return `${where} is not parked: nothing to release`;
  return (
    `${where} still has entries in ${check.topic}.DLT (${check.deadLetters.length}): replay them to free it in order ` +
    `(replay --key), or give --force to release it anyway and let new messages overtake them`
  );
}
