import type { DeadLetterEntry } from '../dead-letter/reader.js';
import type { ParkedKey } from '../parking/parked-keys.js';

/** The pending dead letters of one key, in the order they must be handled. */
export interface KeyReplay {
  /** `null` gathers a partition's messages without a key, which have no order to keep. */
  readonly key: string | null;
  readonly partition: number;
  readonly entries: readonly DeadLetterEntry[];
  /** The key's parked state; `undefined` when it is not parked. */
  readonly parked: ParkedKey | undefined;
}

/** What a replay would send back, for a topic and group. */
export interface ReplayPlan {
  readonly topic: string;
  readonly group: string;
  readonly keys: readonly KeyReplay[];
  /**
   * Parked keys without a pending entry to replay (their entries expired from the DLT, or were
   * superseded by copies still in flight): a replay cannot free them now.
   */
  readonly stranded: readonly ParkedKey[];
}

/**
 * Groups the pending entries by key, each key's entries in DLT order (the order the consumer wrote
 * them, which is their order on the source partition), keys ordered by where their first entry is.
 * With `onlyKey`, just that key.
 */
export function planReplay(input: {
  readonly topic: string;
  readonly group: string;
  readonly entries: readonly DeadLetterEntry[];
  readonly parked: readonly ParkedKey[];
  readonly onlyKey?: string;
}): ReplayPlan {
  const parkedByKey = new Map(input.parked.map((parked) => [parked.key, parked]));
  const byKey = new Map<string, { key: string | null; partition: number; entries: DeadLetterEntry[] }>();
  for (const entry of input.entries) {
    if (entry.status !== 'pending') continue;
    if (input.onlyKey !== undefined && entry.key !== input.onlyKey) continue;
    const id = entry.key ?? `\u0000${entry.partition}`;
    const group = byKey.get(id);
    if (group === undefined) byKey.set(id, { key: entry.key, partition: entry.partition, entries: [entry] });
    else group.entries.push(entry);
  }
  const keys = [...byKey.values()].map(({ key, partition, entries }) => ({
    key,
    partition,
    entries: [...entries].sort((a, b) => compareOffsets(a.offset, b.offset)),
    parked: key === null ? undefined : parkedByKey.get(key),
  }));
  keys.sort((a, b) => a.partition - b.partition || compareOffsets(firstOffset(a), firstOffset(b)));
  const planned = new Set(keys.map((key) => key.key));
  const stranded = input.parked.filter(
    (parked) => !planned.has(parked.key) && (input.onlyKey === undefined || parked.key === input.onlyKey),
  );
  return { topic: input.topic, group: input.group, keys, stranded };
}

function firstOffset(key: { readonly entries: readonly DeadLetterEntry[] }): string {
  return key.entries[0]?.offset ?? '0';
}

/** Orders two Kafka offsets given as decimal strings. */
export function compareOffsets(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}
