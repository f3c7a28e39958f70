import { Option, type Command } from 'commander';
import type { Admin } from 'kafkajs';
import type pg from 'pg';
import { countPrunableInboxRows, pruneInbox, type PrunableRows } from '../consumer/inbox/prune.js';
import {
  DEFAULT_INBOX_PRUNE_BATCH_SIZE,
  DEFAULT_INBOX_RETENTION_MS,
  inboxRetentionProblem,
} from '../consumer/inbox/retention.js';
import { readTopicRetentions } from '../consumer/inbox/verify-retention.js';
import { withAdmin } from '../kafka/admin.js';
import { batchSize, inboxRetention } from './arguments.js';
import { withConnections, withDatabase, type CliIo } from './connections.js';
import { formatPrunable, formatPruned } from './format.js';

interface PruneOptions {
  readonly group?: string;
  readonly retention: number;
  readonly batchSize: number;
  readonly execute?: boolean;
  readonly skipRetentionCheck?: boolean;
}

/**
 * `prune-inbox`: deletes inbox rows older than the retention, in batches, for one group or every group
 * in the database (a retired group's rows have no runner left to prune them). A dry run unless
 * `--execute`. Like a runner at start, it first checks the retention against the topics the rows came
 * from (`readTopicRetentions`: retention.ms plus segment.ms of each): a group whose topic plus DLT may
 * still keep messages that long is left alone. A group some runner
 * is pruning at the moment is skipped too, and the exit code says so.
 */
export function addPruneInboxCommand(program: Command, io: CliIo): void {
  program
    .command('prune-inbox')
    .description('delete inbox rows older than the retention, in batches, where the topics they came from allow; a dry run unless --execute')
    .option('--group <group>', 'only this consumer group (default: every group in the database)')
    .addOption(
      new Option('--retention <duration>', "keep rows this long, at least 1d; more than the topics' retention plus their DLTs', segment.ms included")
        .default(DEFAULT_INBOX_RETENTION_MS, '42d')
        .argParser(inboxRetention),
    )
    .addOption(
      new Option('--batch-size <n>', 'rows deleted per statement')
        .default(DEFAULT_INBOX_PRUNE_BATCH_SIZE, String(DEFAULT_INBOX_PRUNE_BATCH_SIZE))
        .argParser(batchSize),
    )
    .option('--execute', 'delete them (without it, count what would be deleted)')
    .option(
      '--skip-retention-check',
      "do not ask Kafka for the topics' retention (then only the database is needed); an event whose message is still in its topic or DLT can then be handled twice",
    )
    .action(async (options: PruneOptions, command: Command) => {
      if (options.skipRetentionCheck === true) {
        await withDatabase(io, command, ({ pool }) => prune(io, options, pool, undefined));
        return;
      }
      await withConnections(io, command, ({ pool, kafka }) => withAdmin(kafka, (admin) => prune(io, options, pool, admin)));
    });
}

async function prune(io: CliIo, options: PruneOptions, pool: pg.Pool, admin: Admin | undefined): Promise<void> {
  const only = options.group === undefined ? {} : { group: options.group };
  const { cutoff, groups } = await countPrunableInboxRows(pool, { retentionMs: options.retention, ...only });
  const refusals = admin === undefined ? new Map<string, string>() : await retentionRefusals(admin, options.retention, groups);
  formatPrunable(options.retention, cutoff, groups, refusals).forEach(io.out);
  if (admin === undefined) io.out("the retention was not checked against the topics' (--skip-retention-check)");
  if (options.execute !== true) {
    io.out(`dry run: nothing was deleted; add --execute to delete them, ${options.batchSize} rows per statement`);
    return;
  }
  io.out('deleting:');
  for (const { group } of groups) {
    if (refusals.has(group)) {
      io.out(`  ${group}: kept, see above`);
      io.setExitCode(1);
      continue;
    }
    const result = await pruneInbox({ pool, group, retentionMs: options.retention, batchSize: options.batchSize });
    io.out(formatPruned(group, result));
    if (result.kind === 'busy') io.setExitCode(1);
  }
}

/** Why each group whose rows came from topics that keep messages longer than the retention must keep them. */
async function retentionRefusals(admin: Admin, retentionMs: number, groups: readonly PrunableRows[]): Promise<Map<string, string>> {
  const topics = [...new Set(groups.flatMap((group) => group.topics))];
  const retentions = new Map((await readTopicRetentions(admin, topics)).map((retention) => [retention.topic, retention]));
  const refusals = new Map<string, string>();
  for (const group of groups) {
    const problem = inboxRetentionProblem(
      retentionMs,
      group.topics.flatMap((topic) => retentions.get(topic) ?? []),
    );
    if (problem !== undefined) refusals.set(group.group, problem);
  }
  return refusals;
}
