import type { Queryable } from '../queryable.js';

/**
 * What became of a dead-letter entry that a replay sent back: handled, found handled already,
 * dead-lettered again (its cause is not fixed), or superseded (it followed a copy that failed, and a
 * newer DLT entry now stands for it).
 */
export type ResolutionOutcome = 'handled' | 'duplicate' | 'dead-lettered-again' | 'superseded';

/** One dead-letter entry's fate, keyed by its DLT partition and offset. */
export interface Resolution {
  readonly partition: number;
  readonly deadLetterOffset: string;
  readonly outcome: ResolutionOutcome;
  readonly replayId: string;
  readonly resolvedAt: Date;
}

/** Records the fate of the dead-letter entry a replayed copy stood for; the latest fate wins. */
export async function recordResolution(
  db: Queryable,
  entry: { group: string; topic: string; partition: number; deadLetterOffset: string; outcome: ResolutionOutcome; replayId: string },
): Promise<void> {
  await db.query(
    `insert into consumer_dlt_resolutions (consumer_group, topic, partition, dlt_offset, outcome, replay_id)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (consumer_group, topic, partition, dlt_offset) do update set
       outcome = excluded.outcome, replay_id = excluded.replay_id, resolved_at = now()`,
    [entry.group, entry.topic, entry.partition, entry.deadLetterOffset, entry.outcome, entry.replayId],
  );
}

/** The resolved entries of a group's dead letters from `topic`, keyed `partition:offset`. */
export async function listResolutions(db: Queryable, group: string, topic: string): Promise<Map<string, Resolution>> {
  const { rows } = await db.query<{
    partition: number;
    dlt_offset: string;
    outcome: ResolutionOutcome;
    replay_id: string;
    resolved_at: Date;
  }>(
    `select partition, dlt_offset, outcome, replay_id, resolved_at from consumer_dlt_resolutions
     where consumer_group = $1 and topic = $2`,
    [group, topic],
  );
  return new Map(
    rows.map((row) => [
      entryId(row.partition, row.dlt_offset),
      {
        partition: row.partition,
        deadLetterOffset: row.dlt_offset,
        outcome: row.outcome,
        replayId: row.replay_id,
        resolvedAt: row.resolved_at,
      },
    ]),
  );
}

/** How a dead-letter entry is named in maps and on the command line: `partition:offset`. */
export function entryId(partition: number, offset: string): string {
  return `${partition}:${offset}`;
}
