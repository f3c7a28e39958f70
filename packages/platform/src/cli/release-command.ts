import type { Command } from 'commander';
import { checkRelease, releaseParkedKey } from '../consumer/dead-letter/release.js';
import { sourceTopic } from './arguments.js';
import { withConnections, type CliIo } from './connections.js';
import { formatReleaseCheck, formatReleased } from './format.js';

interface ReleaseOptions {
  readonly topic: string;
  readonly group: string;
  readonly key: string;
  readonly execute?: boolean;
  readonly force?: boolean;
}

/**
 * `release`: un-parks a key whose dead letters expired from the DLT, which a replay cannot free. A
 * dry run unless `--execute`; refused while the DLT still holds entries of the key, unless `--force`.
 */
export function addReleaseCommand(program: Command, io: CliIo): void {
  program
    .command('release')
    .description('un-park a key whose dead letters expired from the DLT; a dry run unless --execute')
    .requiredOption('--topic <topic>', 'the source topic (not its .DLT)', sourceTopic)
    .requiredOption('--group <group>', 'the consumer group')
    .requiredOption('--key <key>', 'the parked key')
    .option('--execute', 'do it (without it, print what would be done)')
    .option('--force', 'release it even though the DLT still holds entries of the key, letting new messages overtake them')
    .action(async (options: ReleaseOptions, command: Command) => {
      await withConnections(io, command, async ({ kafka, pool, logger }) => {
        const target = { kafka, pool, topic: options.topic, group: options.group, key: options.key };
        if (options.execute !== true) {
          const check = await checkRelease(target);
          formatReleaseCheck(check).forEach(io.out);
          if (check.parked === undefined) io.setExitCode(1);
          else io.out('dry run: nothing was changed; add --execute to release the key');
          return;
        }
        const released = await releaseParkedKey({ ...target, force: options.force === true, logger });
        io.out(formatReleased(released));
      });
    });
}
