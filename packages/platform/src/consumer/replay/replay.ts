import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { createProducer } from '../../kafka/producer.js';
import { tryAdvisoryLock, type AdvisoryLock } from '../advisory-lock.js';
import { replayHeaders } from '../dead-letter/headers.js';
import { listDeadLetters, type DeadLetterEntry } from '../dead-letter/reader.js';
import { entryId, listResolutions, type Resolution } from '../dead-letter/resolutions.js';
import { beginReplay, listParkedKeys, type ParkedKey } from '../parking/parked-keys.js';
import { compareOffsets, planReplay, type ReplayPlan } from './plan.js';

/** Where dead letters are read and replayed from. */
export interface ReplaySource {
  readonly kafka: Kafka;
  /** The consumer group's database, holding its parked keys and replay outcomes. */
  readonly pool: Pool;
  /** The source topic, not its `.DLT`. */
  readonly topic: string;
  readonly group: string;
  /** Only this key's entries. */
  readonly key?: string;
}

/** Options for `executeReplay`. */
export interface ReplayOptions extends ReplaySource {
  readonly logger: Logger;
  /** How long to wait for the consumer to handle the copies before reporting them as waiting. @default 60000 */
  readonly timeoutMs?: number;
  /** @default 250 */
  readonly pollIntervalMs?: number;
  /** Told how far the replay has got whenever that changes, from the first publish to the end. */
  readonly onProgress?: (progress: ReplayProgress) => void;
}

/** How far a running replay has got. */
export interface ReplayProgress {
  readonly replayId: string;
  /** Copies republished so far, followers included. */
  readonly republished: number;
  /** Of those, copies the consumer has resolved (handled, found handled, dead-lettered again, superseded). */
  readonly resolved: number;
  readonly keys: number;
  /** Keys whose replay is over: un-parked, handled, or parked again. */
  readonly keysDone: number;
}

/** How a key's replay ended: freed, handled (it was not parked), parked again by a new failure, or not yet known. */
export type KeyOutcome = 'unparked' | 'handled' | 'dead-lettered-again' | 'waiting';

/** One key's part in a replay. */
export interface KeyReplayReport {
  readonly key: string | null;
  readonly partition: number;
  /** Entries republished, followers that arrived during the replay included. */
  readonly replayed: number;
  readonly outcome: KeyOutcome;
}

/** What `executeReplay` did. */
export interface ReplayReport {
  readonly replayId: string;
  readonly plan: ReplayPlan;
  readonly keys: readonly KeyReplayReport[];
}

/** Another replay, or a release, of the same topic and group holds the lock. */
export class ReplayInProgressError extends Error {
  override readonly name = 'ReplayInProgressError';
}

/** What a replay would do, without doing it: the dry run. */
export async function planDeadLetterReplay(source: ReplaySource): Promise<ReplayPlan> {
  const [entries, parked] = await Promise.all([
    listDeadLetters(source, source.topic, source.group),
    listParkedKeys(source.pool, source.group, source.topic),
  ]);
  return planReplay({ topic: source.topic, group: source.group, entries, parked, ...(source.key === undefined ? {} : { onlyKey: source.key }) });
}

interface Tracked {
  readonly key: string | null;
  readonly partition: number;
  readonly wasParked: boolean;
  readonly published: string[];
  lastOffset: string;
}

/**
 * Replays a group's pending dead letters of `topic` (see DESIGN.md): hands each parked key to this
 * replay, republishes its entries in order to the source partition they came from, marked for the
 * group, and waits while the consumer handles them. The consumer un-parks a key when it handles the
 * copy of the key's last DLT entry; if new messages followed the key into the DLT meanwhile, they are
 * republished in another round. A copy that fails again parks the key again and ends its replay.
 *
 * @throws ReplayInProgressError when another replay of this topic and group is running.
 */
export async function executeReplay(options: ReplayOptions): Promise<ReplayReport> {
  const { kafka, pool, topic, group, timeoutMs = 60_000, pollIntervalMs = 250 } = options;
  const log = options.logger.child({ component: 'dlt-replay', topic, group });
  const lock = await acquireReplayLock(pool, group, topic);
  const producer = createProducer(kafka);
  try {
    const replayId = randomUUID();
    const plan = await planDeadLetterReplay(options);
    const keys = plan.keys.flatMap((key) => (key.key === null ? [] : [key.key]));
    await beginReplay(pool, { group, topic, keys, replayId });
    await producer.connect();
    const tracked = new Map<string, Tracked>();
    for (const key of plan.keys) {
      tracked.set(trackId(key), { key: key.key, partition: key.partition, wasParked: key.parked !== undefined, published: [], lastOffset: '-1' });
    }
    await publish(producer, topic, group, replayId, plan.keys.flatMap((key) => key.entries), tracked);
    log.info({ replayId, keys: tracked.size }, 'replay published');

    const report = progressReporter(replayId, tracked, options.onProgress);
    const deadline = Date.now() + timeoutMs;
    let { outcomes, resolved } = await observe(pool, group, topic, replayId, tracked);
    report(outcomes, resolved);
    while (Date.now() < deadline && [...outcomes.values()].some((outcome) => outcome !== 'final')) {
      const followed = [...tracked.values()].filter((entry) => outcomes.get(entry) === 'followed');
      if (followed.length > 0) await publishFollowers(options, replayId, producer, followed, tracked);
      await sleep(pollIntervalMs);
      ({ outcomes, resolved } = await observe(pool, group, topic, replayId, tracked));
      report(outcomes, resolved);
    }
    const keyReports = await summarize(pool, group, topic, replayId, tracked);
    log.info({ replayId, keys: keyReports.map(({ key, outcome }) => ({ key, outcome })) }, 'replay finished');
    return { replayId, plan, keys: keyReports };
  } finally {
    await producer.disconnect();
    await lock.release();
  }
}

function trackId({ key, partition }: { key: string | null; partition: number }): string {
  return key ?? `\u0000${partition}`;
}

async function publish(
  producer: Producer,
  topic: string,
  group: string,
  replayId: string,
  entries: readonly DeadLetterEntry[],
  tracked: Map<string, Tracked>,
): Promise<void> {
  const byPartition = new Map<number, DeadLetterEntry[]>();
  for (const entry of entries) byPartition.set(entry.partition, [...(byPartition.get(entry.partition) ?? []), entry]);
  for (const [partition, inPartition] of byPartition) {
    // One send per partition: an idempotent producer with one request in flight keeps their order.
    await producer.send({
      topic,
      acks: -1,
      messages: inPartition.map((entry) => ({
        key: entry.key,
        value: entry.value,
        partition,
        headers: replayHeaders(entry.headers, { group, replayId, deadLetterOffset: entry.offset }),
      })),
    });
    for (const entry of inPartition) {
      const state = tracked.get(trackId(entry));
      if (state === undefined) continue;
      state.published.push(entryId(partition, entry.offset));
      state.lastOffset = entry.offset;
    }
  }
}

/** New followers of keys still held by this replay: pending entries after the last one republished. */
async function publishFollowers(
  source: ReplaySource,
  replayId: string,
  producer: Producer,
  followed: readonly Tracked[],
  tracked: Map<string, Tracked>,
): Promise<void> {
  const entries = await listDeadLetters(source, source.topic, source.group);
  const fresh = entries.filter((entry) => {
    const state = followed.find((candidate) => candidate.key !== null && candidate.key === entry.key);
    return state !== undefined && entry.status === 'pending' && compareOffsets(entry.offset, state.lastOffset) > 0;
  });
  if (fresh.length > 0) await publish(producer, source.topic, source.group, replayId, fresh, tracked);
}

type Observation = 'waiting' | 'followed' | 'final';

/** Calls `onProgress` with each observation that moved the replay on; nothing when none is given. */
function progressReporter(
  replayId: string,
  tracked: ReadonlyMap<string, Tracked>,
  onProgress: ((progress: ReplayProgress) => void) | undefined,
): (outcomes: ReadonlyMap<Tracked, Observation>, resolved: number) => void {
  let last = '';
  return (outcomes, resolved) => {
    if (onProgress === undefined) return;
    const republished = [...tracked.values()].reduce((sum, state) => sum + state.published.length, 0);
    const keysDone = [...outcomes.values()].filter((outcome) => outcome === 'final').length;
    const progress = { replayId, republished, resolved, keys: tracked.size, keysDone };
    const seen = `${republished}/${resolved}/${keysDone}`;
    if (seen === last) return;
    last = seen;
    onProgress(progress);
  };
}

/**
 * Where each key stands: copies still unhandled (`waiting`), all handled but the key still held by
 * this replay because more messages followed it (`followed`), or done (`final`); and how many of the
 * copies republished so far the consumer has resolved.
 */
async function observe(
  pool: Pool,
  group: string,
  topic: string,
  replayId: string,
  tracked: Map<string, Tracked>,
): Promise<{ outcomes: Map<Tracked, Observation>; resolved: number }> {
  const [resolutions, parked] = await Promise.all([listResolutions(pool, group, topic), parkedByKey(pool, group, topic)]);
  const outcomes = new Map(
    [...tracked.values()].map((state): [Tracked, Observation] => {
      if (!state.published.every((id) => resolutions.has(id))) return [state, 'waiting'];
      const row = state.key === null ? undefined : parked.get(state.key);
      return [state, row?.replayId === replayId ? 'followed' : 'final'];
    }),
  );
  // The entries were pending when published, and the replay lock keeps other replays away, so every
  // resolution of one of them is this replay's.
  const resolved = [...tracked.values()].reduce((sum, state) => sum + state.published.filter((id) => resolutions.has(id)).length, 0);
  return { outcomes, resolved };
}

async function summarize(
  pool: Pool,
  group: string,
  topic: string,
  replayId: string,
  tracked: Map<string, Tracked>,
): Promise<KeyReplayReport[]> {
  const [resolutions, parked] = await Promise.all([listResolutions(pool, group, topic), parkedByKey(pool, group, topic)]);
  return [...tracked.values()].map((state) => ({
    key: state.key,
    partition: state.partition,
    replayed: state.published.length,
    outcome: outcomeOf(state, resolutions, state.key === null ? undefined : parked.get(state.key), replayId),
  }));
}

function outcomeOf(
  state: Tracked,
  resolutions: ReadonlyMap<string, Resolution>,
  row: ParkedKey | undefined,
  replayId: string,
): KeyOutcome {
  const outcomes = state.published.map((id) => resolutions.get(id)?.outcome);
  if (outcomes.includes(undefined) || row?.replayId === replayId) return 'waiting';
  if (row !== undefined || outcomes.includes('dead-lettered-again')) return 'dead-lettered-again';
  return state.wasParked ? 'unparked' : 'handled';
}

async function parkedByKey(pool: Pool, group: string, topic: string): Promise<Map<string, ParkedKey>> {
  return new Map((await listParkedKeys(pool, group, topic)).map((parked) => [parked.key, parked]));
}

/**
 * The lock a replay holds for its whole run, and `release` while it checks and frees a key, so neither
 * works on a (group, topic) while the other does.
 */
export async function acquireReplayLock(pool: Pool, group: string, topic: string): Promise<AdvisoryLock> {
  const lock = await tryAdvisoryLock(pool, `msa.dlt-replay/${group}/${topic}`);
  if (lock === undefined) throw new ReplayInProgressError(`a replay or release of ${topic} for ${group} is already running`);
  return lock;
}
