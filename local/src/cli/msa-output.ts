import type { ServiceSettings } from './msa-settings.js';

/** A consumer group as the platform's `groups --json` prints it. */
export interface CatalogGroup {
  readonly group: string;
  readonly service: string;
  readonly purpose: string;
  readonly topics: readonly { readonly topic: string; readonly deadLetterTopic: string }[];
}

/**
 * The groups of the platform's `groups --json` output, checked field by field: it comes from another
 * program, and a mismatch should say so rather than print `undefined`.
 *
 * @throws Error when the text is not that output.
 */
export function parseCatalogGroups(text: string): CatalogGroup[] {
  const parsed: unknown = JSON.parse(text);
  const groups = typeof parsed === 'object' && parsed !== null && 'groups' in parsed ? parsed.groups : undefined;
  if (!Array.isArray(groups) || !groups.every(isCatalogGroup)) throw new Error('the platform printed groups msa cannot read');
  return groups;
}

function isCatalogGroup(value: unknown): value is CatalogGroup {
  if (typeof value !== 'object' || value === null) return false;
  const group = value as Record<string, unknown>;
  const texts = ['group', 'service', 'purpose'].every((field) => typeof group[field] === 'string');
  const topics =
    Array.isArray(group.topics) &&
    group.topics.every(
      (topic: unknown) =>
        typeof topic === 'object' &&
        topic !== null &&
        typeof (topic as Record<string, unknown>).topic === 'string' &&
        typeof (topic as Record<string, unknown>).deadLetterTopic === 'string',
    );
  return texts && topics;
}

/** Each service with where it runs, then its consumer groups, each with its topics and their DLTs. */
export function formatServices(services: readonly ServiceSettings[], groups: readonly CatalogGroup[]): string[] {
  return services.flatMap((service) => {
    const own = groups.filter((group) => group.service === service.name);
    const width = Math.max(0, ...own.flatMap((group) => group.topics.map(({ topic }) => topic.length)));
    return [
      `${service.name}: http://127.0.0.1:${service.port}, database ${service.databaseUrl}, read models in MongoDB database ${service.mongoDatabase}`,
      ...(own.length === 0 ? ['  no consumer groups in the catalog'] : []),
      ...own.flatMap(({ group, purpose, topics }) => [
        `  group ${group}: ${purpose}`,
        ...topics.map(({ topic, deadLetterTopic }) => `    ${topic.padEnd(width)}  dead letters in ${deadLetterTopic}`),
      ]),
    ];
  });
}

// pino's numeric levels, for a logger that does not write them as labels as the platform's does.
const LEVELS: Readonly<Record<number, string>> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
// Fields every pino line carries, which say nothing to someone watching one command.
const ROUTINE = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'service']);

/**
 * A line of a program's output for a person: a pino log line as `level message {other fields}`, the
 * error's message included; any other line as it is (a progress line, say).
 */
export function humanLogLine(line: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return line;
  const record = parsed as Record<string, unknown>;
  const level = typeof record.level === 'number' ? (LEVELS[record.level] ?? String(record.level)) : record.level;
  if (typeof record.msg !== 'string' || typeof level !== 'string') return line;
  const rest = Object.fromEntries(
    Object.entries(record)
      .filter(([name]) => !ROUTINE.has(name))
      .map(([name, value]) => [name, name === 'err' ? errorMessage(value) : value]),
  );
  const fields = Object.keys(rest).length === 0 ? '' : ` ${JSON.stringify(rest)}`;
  return `${level} ${record.msg}${fields}`;
}

function errorMessage(value: unknown): unknown {
  return typeof value === 'object' && value !== null && 'message' in value ? value.message : value;
}
