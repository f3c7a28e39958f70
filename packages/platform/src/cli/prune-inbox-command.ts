import { Option, type Command } from 'commander';
import { countPrunableInboxRows, pruneInbox } from '../consumer/inbox-pruning.js';
import { DEFAULT_INBOX_PRUNE_BATCH_SIZE, DEFAULT_INBOX_RETENTION_MS } from '../consumer/inbox-retention.js';
import { batchSize, inboxRetention } from './arguments.js';
import { withDatabase, type CliIo } from './connections.js';
import { formatPrunable, formatPruned } from './format.js';

interface PruneOptions {
  readonly group?: string;
  readonly retention: number;
  readonly batchSize: number;
  readonly execute?: boolean;
}

/**
 * `prune-inbox`: deletes inbox rows older than the retention, in batches, for one group or every group
 * in the database (a retired group's rows have no runner left to prune them). A dry run unless
 * `--execute`. A group some runner is pruning at the moment is skipped, and the exit code says so.
 */
export function addPruneInboxCommand(program: Command, io: CliIo): void {
  program
    .command('prune-inbox')
    .description("delete inbox rows older than the retention, in batches; a dry run unless --execute (needs only the database)")
    .option('--group <group>', 'only this consumer group (default: every group in the database)')
    .addOption(
      new Option('--retention <duration>', "keep rows this long, at least 1d; more than the topics' retention plus their DLTs'")
        .default(DEFAULT_INBOX_RETENTION_MS, '42d')
        .argParser(inboxRetention),
    )
    .addOption(
      new Option('--batch-size <n>', 'rows deleted per statement')
        .default(DEFAULT_INBOX_PRUNE_BATCH_SIZE, String(DEFAULT_INBOX_PRUNE_BATCH_SIZE))
        .argParser(batchSize),
    )
    .option('--execute', 'delete them (without it, count what would be deleted)')
    .action(async (options: PruneOptions, command: Command) => {
      await withDatabase(io, command, async ({ pool }) => {
        const only = options.group === undefined ? {} : { group: options.group };
        const { cutoff, groups } = await countPrunableInboxRows(pool, { retentionMs: options.retention, ...only });
        formatPrunable(options.retention, cutoff, groups).forEach(io.out);
        if (options.execute !== true) {
          io.out(`dry run: nothing was deleted; add --execute to delete them, ${options.batchSize} rows per statement`);
          return;
        }
        io.out('deleting:');
        for (const { group } of groups) {
          const result = await pruneInbox({ pool, group, retentionMs: options.retention, batchSize: options.batchSize });
          io.out(formatPruned(group, result));
          if (result.kind === 'busy') io.setExitCode(1);
        }
      });
    });
}
