import { setTimeout as sleep } from 'node:timers/promises';
import { Option, type Command } from 'commander';
import pg from 'pg';
import { listHeldStreams, releasePending, requestRelease, type HeldStream } from '../outbox/unpublishable.js';
import { duration } from './arguments.js';
import { CliUsageError } from './config.js';
import { withDatabase, type CliIo } from './connections.js';
import { formatHeldStream, formatHeldStreams } from './outbox-format.js';

// SQLSTATE for a table that does not exist.
const UNDEFINED_TABLE = '42P01';
// How often `release` looks whether the leading relay has acted on the request.
const RELEASE_POLL_MS = 200;

interface ListOptions {
  readonly relay?: string;
  readonly json?: boolean;
}

interface ReleaseOptions {
  readonly stream: string;
  readonly relay: string;
  readonly execute?: boolean;
  readonly timeout: number;
}

/**
 * `outbox list` and `outbox release`: the events a service's outbox relay could not publish (Kafka
 * refuses them for good) and the streams held behind them, and asking the leading relay to publish a
 * held stream again once the cause is fixed (a topic's `max.message.bytes` or the relay's
 * `OUTBOX_BATCH_MAX_BYTES` raised). `--database-url` is the service's database.
 */
export function addOutboxCommands(program: Command, io: CliIo): void {
  const outbox = program
    .command('outbox')
    .description("events an outbox relay could not publish and the streams held behind them (--database-url: the service's database)");

  outbox
    .command('list')
    .description('held streams: the event Kafka refused, why, and how many events wait behind it')
    .option('--relay <name>', 'only this relay (default: every relay of the database)')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: ListOptions, command: Command) => {
      await withOutboxDatabase(io, command, async (pool) => {
        const streams = await listHeldStreams(pool, options.relay);
        if (options.json === true) io.out(JSON.stringify({ streams }, null, 2));
        else formatHeldStreams(streams).forEach(io.out);
      });
    });

  outbox
    .command('release')
    .description("have the leading relay publish a held stream's events again, in order; a dry run unless --execute")
    .requiredOption('--stream <id>', 'the held stream')
    .option('--relay <name>', 'the relay holding it', 'default')
    .option('--execute', 'ask for it and wait for the outcome (without it, print what would be published)')
    .addOption(
      new Option('--timeout <duration>', 'how long to wait for the leading relay, e.g. 60s').default(60_000, '60s').argParser(duration),
    )
    .action(async (options: ReleaseOptions, command: Command) => {
      await withOutboxDatabase(io, command, async (pool) => {
        const name = `${options.stream} of relay ${options.relay}`;
        const held = await findHeld(pool, options.relay, options.stream);
        if (held === undefined) throw new Error(`${name} is not held: nothing to release`);
        formatHeldStream(held).forEach(io.out);
        if (options.execute !== true) {
          io.out('dry run: nothing was changed; add --execute to have the leading relay publish them again, in order');
          return;
        }
        if (!(await requestRelease(pool, options.relay, options.stream))) throw new Error(`${name} is not held: nothing to release`);
        const deadline = Date.now() + options.timeout;
        while (await releasePending(pool, options.relay, options.stream)) {
          if (Date.now() >= deadline) {
            io.out(`no relay named ${options.relay} took the release up within ${options.timeout} ms (is one leading?); it stays asked for`);
            io.setExitCode(1);
            return;
          }
          await sleep(RELEASE_POLL_MS);
        }
        const still = await findHeld(pool, options.relay, options.stream);
        if (still === undefined) {
          io.out(`released ${name}: its held events were published in order, and its new events flow again`);
          return;
        }
        io.out(`${name} is held again: Kafka still refuses ${still.head.eventType} v${still.head.version}: ${still.head.reason}`);
        io.setExitCode(1);
      });
    });
}

async function findHeld(pool: pg.Pool, relay: string, stream: string): Promise<HeldStream | undefined> {
  return (await listHeldStreams(pool, relay)).find((held) => held.streamId === stream);
}

async function withOutboxDatabase(io: CliIo, command: Command, work: (pool: pg.Pool) => Promise<void>): Promise<void> {
  await withDatabase(io, command, async ({ pool }) => {
    try {
      await work(pool);
    } catch (error) {
      if (error instanceof pg.DatabaseError && error.code === UNDEFINED_TABLE) {
        throw new CliUsageError(
          "this database has no outbox tables: give the database of the service whose relay it is (its migrations create them)",
        );
      }
      throw error;
    }
  });
}
