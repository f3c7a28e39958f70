import { DEAD_LETTER_SUFFIX } from '@msa/contracts';
import { Command, Option } from 'commander';
import { listDeadLetters, readTopic, type DeadLetterEntry } from '../consumer/dead-letter/reader.js';
import { listParkedKeys } from '../consumer/parking/parked-keys.js';
import { executeReplay, planDeadLetterReplay } from '../consumer/replay/replay.js';
import { duration, nonNegative, offset, sourceTopic } from './arguments.js';
import { withConnections, type CliIo } from './connections.js';
import { formatEntries, formatMessage, formatPlan, formatProgress, formatReport } from './format.js';
import { addGroupsCommand } from './groups-command.js';
import { addOutboxCommands } from './outbox-command.js';
import { addPruneInboxCommand } from './prune-inbox-command.js';
import { addReleaseCommand } from './release-command.js';

/**
 * The `dlt` command: lists the catalog's consumer groups; lists, inspects and replays a group's dead
 * letters; releases a parked key whose dead letters expired; prunes old inbox rows; and lists and
 * releases the streams an outbox relay holds behind an event Kafka refuses. `parseAsync` rejects with
 * a `CommanderError` for usage errors and help (already printed), or the error an action threw.
 */
export function createDltProgram(io: CliIo): Command {
  const program = new Command('dlt')
    .description(
      "List the consumer groups; list, inspect and replay a group's dead letters (<topic>.DLT); release parked keys; prune the inbox; release streams an outbox relay holds",
    )
    .option('--brokers <list>', 'Kafka bootstrap servers, comma-separated (default: $KAFKA_BROKERS)')
    .option('--database-url <url>', "the consumer group's PostgreSQL database; for outbox, the service's (default: $DATABASE_URL)")
    .configureOutput({ writeOut: (text) => { io.out(text.trimEnd()); }, writeErr: (text) => { io.err(text.trimEnd()); } })
    .showHelpAfterError()
    // Usage errors throw a CommanderError instead of exiting, so the caller decides how to end.
    .exitOverride();

  program
    .command('list')
    .description("a group's dead letters of a topic, pending ones unless --all, and its parked keys")
    .requiredOption('--topic <topic>', 'the source topic (not its .DLT)', sourceTopic)
    .requiredOption('--group <group>', 'the consumer group')
    .option('--all', 'include entries a replay has resolved')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { topic: string; group: string; all?: boolean; json?: boolean }, command: Command) => {
      await withConnections(io, command, async ({ kafka, pool }) => {
        const entries = await listDeadLetters({ kafka, pool }, options.topic, options.group);
        const shown = options.all === true ? entries : entries.filter((entry) => entry.status === 'pending');
        const parked = await listParkedKeys(pool, options.group, options.topic);
        if (options.json === true) io.out(JSON.stringify({ entries: shown.map(entryJson), parked }, null, 2));
        else formatEntries(options.topic, options.group, shown, parked).forEach(io.out);
      });
    });

  program
    .command('inspect')
    .description('one dead-letter message: its headers and value')
    .requiredOption('--topic <topic>', 'the source topic (not its .DLT)', sourceTopic)
    .requiredOption('--partition <n>', 'the DLT partition', nonNegative)
    .requiredOption('--offset <n>', 'the DLT offset', offset)
    .action(async (options: { topic: string; partition: number; offset: string }, command: Command) => {
      await withConnections(io, command, async ({ kafka }) => {
        const dlt = `${options.topic}${DEAD_LETTER_SUFFIX}`;
        const message = (await readTopic(kafka, dlt)).find(
          (candidate) => candidate.partition === options.partition && candidate.offset === options.offset,
        );
        if (message === undefined) throw new Error(`${dlt} has no message at ${options.partition}:${options.offset}`);
        formatMessage(dlt, message).forEach(io.out);
      });
    });

  program
    .command('replay')
    .description('send pending dead letters back to the group in per-key order; a dry run unless --execute')
    .requiredOption('--topic <topic>', 'the source topic (not its .DLT)', sourceTopic)
    .requiredOption('--group <group>', 'the consumer group')
    .option('--key <key>', 'only this key')
    .option('--execute', 'do it (without it, print what would be done)')
    .addOption(
      new Option('--timeout <duration>', 'how long to wait for the consumer, e.g. 60s').default(60_000, '60s').argParser(duration),
    )
    .action(
      async (
        options: { topic: string; group: string; key?: string; execute?: boolean; timeout: number },
        command: Command,
      ) => {
        await withConnections(io, command, async ({ kafka, pool, logger }) => {
          const source = { kafka, pool, topic: options.topic, group: options.group, ...(options.key === undefined ? {} : { key: options.key }) };
          if (options.execute !== true) {
            formatPlan(await planDeadLetterReplay(source)).forEach(io.out);
            io.out('dry run: nothing was sent; add --execute to replay');
            return;
          }
          // Progress goes to stderr, so the report on stdout reads the same with or without a terminal.
          const report = await executeReplay({
            ...source,
            logger,
            timeoutMs: options.timeout,
            onProgress: (progress) => {
              io.err(formatProgress(progress));
            },
          });
          const { lines, complete } = formatReport(report);
          lines.forEach(io.out);
          if (!complete) io.setExitCode(1);
        });
      },
    );

  addReleaseCommand(program, io);
  addGroupsCommand(program, io);
  addPruneInboxCommand(program, io);
  addOutboxCommands(program, io);
  return program;
}

function entryJson(entry: DeadLetterEntry): Record<string, unknown> {
  return {
    partition: entry.partition,
    offset: entry.offset,
    key: entry.key,
    status: entry.status,
    info: entry.info,
    value: entry.value?.toString('utf8') ?? null,
  };
}
