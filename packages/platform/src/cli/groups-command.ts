import { consumerGroups, deadLetterTopicFor, topicsConsumedBy, type ConsumerGroup, type ServiceName } from '@msa/contracts';
import { InvalidArgumentError, type Command } from 'commander';
import type { CliIo } from './connections.js';

/** A consumer group of the catalog: whose it is, why it consumes, and where. */
export interface CatalogGroup {
  readonly group: ConsumerGroup;
  readonly service: ServiceName;
  readonly purpose: string;
  readonly topics: readonly { readonly topic: string; readonly deadLetterTopic: string }[];
}

/** The catalog's consumer groups, in catalog order; only those of `services` when any are given. */
export function catalogGroups(services: readonly string[] = []): CatalogGroup[] {
  return (Object.keys(consumerGroups) as ConsumerGroup[]).flatMap((group) => {
    const { service, purpose } = consumerGroups[group];
    if (services.length > 0 && !services.includes(service)) return [];
    const topics = topicsConsumedBy(group).map((topic) => ({ topic, deadLetterTopic: deadLetterTopicFor(topic) }));
    return [{ group, service, purpose, topics }];
  });
}

/** One block per group: its name, service and purpose, then each topic it consumes beside its DLT. */
export function formatGroups(groups: readonly CatalogGroup[]): string[] {
  const width = Math.max(0, ...groups.flatMap((group) => group.topics.map(({ topic }) => topic.length)));
  return groups.flatMap(({ group, service, purpose, topics }) => [
    `${group} (${service}): ${purpose}`,
    ...topics.map(({ topic, deadLetterTopic }) => `  ${topic.padEnd(width)}  dead letters in ${deadLetterTopic}`),
  ]);
}

const SERVICES = new Set<string>(Object.values(consumerGroups).map((group) => group.service));

function service(value: string, previous: readonly string[] = []): string[] {
  if (!SERVICES.has(value)) throw new InvalidArgumentError(`no consumer group of the catalog belongs to it; services with groups: ${[...SERVICES].join(', ')}`);
  return [...previous, value];
}

/**
 * `groups`: the consumer groups the topic catalog declares, each with the topics it consumes and their
 * DLTs, which are what `list`, `replay` and `release` take as `--group` and `--topic`. Needs no
 * connection.
 */
export function addGroupsCommand(program: Command, io: CliIo): void {
  program
    .command('groups')
    .description('the consumer groups of the topic catalog, with the topics each consumes and their DLTs; needs no connection')
    .option('--service <name>', 'only the groups of this service (repeatable)', service)
    .option('--json', 'print JSON instead of text')
    .action((options: { service?: string[]; json?: boolean }) => {
      const groups = catalogGroups(options.service);
      if (options.json === true) io.out(JSON.stringify({ groups }, null, 2));
      else formatGroups(groups).forEach(io.out);
    });
}
