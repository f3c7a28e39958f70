import type { HeldStream } from '../outbox/unpublishable.js';

// Long reasons are cut in the table; `--json` and `release` show them whole.
const REASON_COLUMN_WIDTH = 80;

/** A table of held streams, one line per stream. */
export function formatHeldStreams(streams: readonly HeldStream[]): string[] {
  const lines = [`held streams: ${streams.length}`];
  if (streams.length === 0) return lines;
  const rows = streams.map((stream) => [
    stream.streamId,
    stream.relay,
    stream.head.eventId,
    `${stream.head.eventType} v${stream.head.version}`,
    stream.head.topic,
    String(stream.heldBehind),
    stream.head.recordedAt.toISOString(),
    stream.releaseRequestedAt === null ? '' : 'asked',
    cut(stream.head.reason),
  ]);
  lines.push(...table(['STREAM', 'RELAY', 'EVENT', 'TYPE', 'TOPIC', 'HELD BEHIND', 'SINCE', 'RELEASE', 'WHY'], rows));
  return lines;
}

/** What `release` would ask for. */
export function formatHeldStream(stream: HeldStream): string[] {
  const { head } = stream;
  const behind = stream.heldBehind === 1 ? '1 event waits' : `${stream.heldBehind} events wait`;
  return [
    `${stream.streamId} of relay ${stream.relay}: held since ${head.recordedAt.toISOString()} at ${head.eventType} v${head.version} (${head.eventId}, position ${head.position}, for ${head.topic}); ${behind} behind it`,
    `  why: ${head.reason}`,
  ];
}

function cut(text: string): string {
  return text.length > REASON_COLUMN_WIDTH ? `${text.slice(0, REASON_COLUMN_WIDTH - 1)}…` : text;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)];
}
