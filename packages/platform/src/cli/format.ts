import { readDeadLetterInfo } from '../consumer/dead-letter/headers.js';
import type { DeadLetterEntry, DeadLetterMessage } from '../consumer/dead-letter/reader.js';
import type { ReleaseCheck } from '../consumer/dead-letter/release.js';
import type { InboxPruneResult, PrunableRows } from '../consumer/inbox/prune.js';
import { inDays } from '../consumer/inbox/retention.js';
import type { ParkedKey } from '../consumer/parking/parked-keys.js';
import type { ReplayPlan } from '../consumer/replay/plan.js';
import type { ReplayProgress, ReplayReport } from '../consumer/replay/replay.js';

// Long error messages are cut in tables; `inspect` shows them whole.
const ERROR_COLUMN_WIDTH = 80;

/** A table of a group's dead letters and its parked keys, one line per entry. */
export function formatEntries(topic: string, group: string, entries: readonly DeadLetterEntry[], parked: readonly ParkedKey[]): string[] {
  const pending = entries.filter((entry) => entry.status === 'pending').length;
  const lines = [`${topic}.DLT for ${group}: ${entries.length} entries shown, ${pending} pending`];
  if (entries.length > 0) {
    const rows = entries.map((entry) => [
      `${entry.partition}:${entry.offset}`,
      entry.status,
      entry.info.reason,
      String(entry.info.attempts),
      entry.key ?? '(none)',
      `${entry.info.originalPartition}:${entry.info.originalOffset}`,
      describeCause(entry),
    ]);
    lines.push(...table(['DLT', 'STATUS', 'REASON', 'ATTEMPTS', 'KEY', 'SOURCE', 'WHY'], rows));
  }
  lines.push(`parked keys: ${parked.length}`);
  for (const key of parked) {
    const replay = key.replayId === null ? '' : `, held by replay ${key.replayId}`;
    lines.push(
      `  ${key.key}: partition ${key.partition}, behind offset ${key.headOffset}, ${key.deadLettered} dead-lettered since ${key.parkedAt.toISOString()}${replay}`,
    );
  }
  return lines;
}

function describeCause(entry: DeadLetterEntry): string {
  if (entry.info.reason === 'parked') return `parked behind ${entry.info.parkedBehind ?? '?'}`;
  const text = `${entry.info.errorClass ?? 'Error'}: ${entry.info.errorMessage ?? ''}`;
  return text.length > ERROR_COLUMN_WIDTH ? `${text.slice(0, ERROR_COLUMN_WIDTH - 1)}…` : text;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)];
}

/** Everything about one dead-letter message: headers decoded, the value pretty-printed when it is JSON. */
export function formatMessage(topic: string, message: DeadLetterMessage): string[] {
  const info = readDeadLetterInfo(message.headers);
  const lines = [`${topic} ${message.partition}:${message.offset}`, `key: ${message.key ?? '(none)'}`];
  if (info === undefined) lines.push('not written by a consumer runner: no dead-letter headers');
  lines.push('headers:');
  for (const [name, value] of Object.entries(message.headers)) {
    const values = Array.isArray(value) ? value : [value];
    for (const one of values) if (one !== undefined) lines.push(`  ${name}: ${one.toString()}`);
  }
  lines.push('value:', ...prettyValue(message.value).map((line) => `  ${line}`));
  return lines;
}

function prettyValue(value: Buffer | null): string[] {
  if (value === null) return ['(none)'];
  const text = value.toString('utf8');
  try {
    return JSON.stringify(JSON.parse(text), null, 2).split('\n');
  } catch {
    return text.split('\n');
  }
}

/** What a replay would do, for the dry run. */
export function formatPlan(plan: ReplayPlan): string[] {
  const entries = plan.keys.reduce((sum, key) => sum + key.entries.length, 0);
  const lines = [
    `replay of ${plan.topic} for ${plan.group} would republish ${entries} entries of ${plan.keys.length} keys, in this order:`,
  ];
  for (const key of plan.keys) {
    const state = key.parked === undefined ? 'not parked' : `parked behind offset ${key.parked.headOffset}`;
    const list = key.entries.map((entry) => `${entry.partition}:${entry.offset} (${entry.info.reason})`).join(', ');
    lines.push(`  ${key.key ?? '(no key)'} [partition ${key.partition}, ${state}]: ${list}`);
  }
  for (const key of plan.stranded) {
    lines.push(
      `  ${key.key} is parked but has no pending entry to replay (a copy is in flight, or its entries expired from the DLT: see release)`,
    );
  }
  return lines;
}

/** What an executed replay did, and whether every key ended handled. */
export function formatReport(report: ReplayReport): { lines: string[]; complete: boolean } {
  const lines = [`replay ${report.replayId} of ${report.plan.topic} for ${report.plan.group}:`];
  for (const key of report.keys) {
    lines.push(`  ${key.key ?? '(no key)'} [partition ${key.partition}]: ${key.replayed} republished, ${OUTCOME_TEXT[key.outcome]}`);
  }
  const complete = report.keys.every((key) => key.outcome === 'unparked' || key.outcome === 'handled');
  if (report.keys.length === 0) lines.push('  nothing pending');
  return { lines, complete };
}

/** One line of a running replay's progress. */
export function formatProgress(progress: ReplayProgress): string {
  return `replay ${progress.replayId}: ${progress.resolved}/${progress.republished} copies resolved, ${progress.keysDone}/${progress.keys} keys done`;
}

const OUTCOME_TEXT = {
  unparked: 'handled in order; key un-parked',
  handled: 'handled',
  'dead-lettered-again': 'failed again and was dead-lettered again; key still parked (see `list`)',
  waiting: 'not handled yet; the consumer handles the copies when it runs, and the key stays parked until then',
} as const;

/** What `release` would act on: the key's parked state and what the DLT still holds of it. */
export function formatReleaseCheck(check: ReleaseCheck): string[] {
  const name = `${check.key} of ${check.topic} for ${check.group}`;
  if (check.parked === undefined) return [`${name} is not parked: nothing to release`];
  const { parked } = check;
  const replay = parked.replayId === null ? '' : `, held by replay ${parked.replayId}`;
  const lines = [
    `${name}: parked on partition ${parked.partition} behind offset ${parked.headOffset} since ${parked.parkedAt.toISOString()}, ${parked.deadLettered} dead-lettered${replay}`,
  ];
  const entries = check.deadLetters;
  if (entries.length === 0) {
    lines.push(`${check.topic}.DLT holds no entries of this key for ${check.group} (they expired): only release can free it`);
  } else {
    const pending = entries.filter((entry) => entry.status === 'pending').length;
    const list = entries.map((entry) => `${entry.partition}:${entry.offset} (${entry.status})`).join(', ');
    lines.push(
      `${check.topic}.DLT still holds ${counted(entries.length, 'entry', 'entries')} of this key for ${check.group}, ${pending} pending: ${list}`,
      `replay them to free the key in order (replay --key); release refuses without --force`,
    );
  }
  return lines;
}

/** What an executed release did. */
export function formatReleased(check: ReleaseCheck): string {
  const left =
    check.deadLetters.length === 0
      ? ''
      : `; ${check.topic}.DLT keeps ${counted(check.deadLetters.length, 'entry', 'entries')} of it, and new messages of the key go ahead of them`;
  return `released ${check.key} of ${check.topic} for ${check.group}: its next message is handled${left}`;
}

/**
 * What `prune-inbox` would delete: rows per group older than the retention and the topics they came
 * from, with the reason a group's rows must stay when the retention is too short for those topics.
 */
export function formatPrunable(
  retentionMs: number,
  cutoff: Date,
  groups: readonly PrunableRows[],
  refusals: ReadonlyMap<string, string>,
): string[] {
  const lines = [`inbox rows handled before ${cutoff.toISOString()} (older than ${inDays(retentionMs)}):`];
  if (groups.length === 0) lines.push('  none');
  for (const { group, rows, topics } of groups) {
    lines.push(`  ${group}: ${counted(rows, 'row', 'rows')} from ${topics.join(', ')}`);
    const refusal = refusals.get(group);
    if (refusal !== undefined) lines.push(`    kept: ${refusal}`);
  }
  return lines;
}

/** What an executed prune did for one group. */
export function formatPruned(group: string, result: InboxPruneResult): string {
  if (result.kind === 'busy') return `  ${group}: skipped, another session (a runner of the group) is pruning it now`;
  const deleted = counted(result.deleted, 'row', 'rows');
  return `  ${group}: ${deleted} handled before ${result.cutoff.toISOString()} deleted in ${counted(result.batches, 'batch', 'batches')}`;
}

function counted(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
