import { localServers } from '../servers.js';
import { localServiceNames, MsaUsageError, platformCliEnvironment, serviceSettings } from './msa-settings.js';

/** What `msa` was asked to do. */
export type MsaCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'services'; readonly json: boolean }
  /** A command of the platform's command line, run with the service's settings. */
  | { readonly kind: 'platform'; readonly service: string | undefined; readonly args: readonly string[] }
  | {
      readonly kind: 'rebuild';
      readonly service: string;
      readonly readModel: string | undefined;
      readonly databaseUrl: string | undefined;
    };

/** The usage text, for `msa --help` and after a usage error. */
export const USAGE = `usage: msa <command> [options]

The local platform's operator tools, with its settings filled in.

  msa services [--json]
      each service the local platform runs: its port and database, its consumer groups, the
      topics each consumes and their dead-letter topics
  msa dlt list|inspect|replay|release --service <name> [options]
      a consumer group's dead letters, listed, inspected, replayed (showing progress) or released
  msa dlt groups [--service <name>]
      the catalog's consumer groups with the topics each consumes and their DLTs
  msa outbox list|release --service <name> [options]
      events an outbox relay could not publish and the streams held behind them
  msa prune-inbox --service <name> [options]
      deletes old inbox rows where the topics allow; a dry run unless --execute
  msa rebuild --service <name> [--read-model <name>]
      rebuilds the service's read models (or one) while it runs, showing progress

--service <name> connects to that service's PostgreSQL database and the local Kafka, as local/up
runs it (ports from local/config.env, or MSA_POSTGRES_PORT and the like); --database-url and
--brokers override them. Each command's own options: msa <command> [subcommand] --help.
`;

const DLT_COMMANDS = new Set(['list', 'inspect', 'replay', 'release', 'groups']);
const HELP = new Set(['--help', '-h']);

/**
 * Reads `msa`'s arguments (without `node` and the script). The platform's commands keep their own
 * arguments, less `--service`, which only `msa` knows.
 *
 * @throws MsaUsageError for a command `msa` does not have or a misplaced option.
 */
export function parseMsaArgs(argv: readonly string[]): MsaCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || HELP.has(command)) return { kind: 'help' };
  switch (command) {
    case 'services': {
      const unknown = rest.filter((arg) => arg !== '--json');
      if (unknown.some((arg) => HELP.has(arg))) return { kind: 'help' };
      if (unknown.length > 0) throw new MsaUsageError(`msa services takes only --json, not ${unknown.join(' ')}`);
      return { kind: 'services', json: rest.includes('--json') };
    }
    case 'dlt': {
      const [sub] = rest;
      if (sub === undefined || HELP.has(sub)) return { kind: 'platform', service: undefined, args: ['--help'] };
      if (!DLT_COMMANDS.has(sub)) {
        throw new MsaUsageError(`msa dlt has no command ${JSON.stringify(sub)}; it has ${[...DLT_COMMANDS].join(', ')}`);
      }
      // `groups` has a --service of its own: the catalog's groups of that service.
      if (sub === 'groups') return { kind: 'platform', service: undefined, args: rest };
      return platform(rest);
    }
    case 'outbox':
      return platform(['outbox', ...rest]);
    case 'prune-inbox':
      return platform(['prune-inbox', ...rest]);
    case 'rebuild':
      return rebuild(rest);
    default:
      throw new MsaUsageError(`msa has no command ${JSON.stringify(command)}`);
  }
}

function platform(args: readonly string[]): MsaCommand {
  const { value: service, rest } = takeOption(args, '--service');
  return { kind: 'platform', service, args: rest };
}

function rebuild(args: readonly string[]): MsaCommand {
  if (args.some((arg) => HELP.has(arg))) return { kind: 'help' };
  const service = takeOption(args, '--service');
  const readModel = takeOption(service.rest, '--read-model');
  const databaseUrl = takeOption(readModel.rest, '--database-url');
  if (databaseUrl.rest.length > 0) throw new MsaUsageError(`msa rebuild does not take ${databaseUrl.rest.join(' ')}`);
  if (service.value === undefined) throw new MsaUsageError('msa rebuild needs --service <name>');
  return { kind: 'rebuild', service: service.value, readModel: readModel.value, databaseUrl: databaseUrl.value };
}

/** `--name value` or `--name=value` taken out of `args`, before any `--`. */
function takeOption(args: readonly string[], name: string): { value: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let value: string | undefined;
  const set = (given: string | undefined) => {
    if (given === undefined || given === '' || given.startsWith('--')) throw new MsaUsageError(`${name} needs a value`);
    if (value !== undefined) throw new MsaUsageError(`${name} is given twice`);
    value = given;
  };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (arg === '--') {
      rest.push(...args.slice(index));
      break;
    }
    if (arg === name) set(args[++index]);
    else if (arg.startsWith(`${name}=`)) set(arg.slice(name.length + 1));
    else rest.push(arg);
  }
  return { value, rest };
}

/** How to run one of the platform's commands: its arguments and the variables to add to the environment. */
export interface PlatformInvocation {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The platform command line's arguments and environment for `command`: the service's database and
 * the local Kafka, which `--database-url` and `--brokers` among the arguments override (the platform
 * reads its options before its environment). Without `--service`, Kafka is still the local one, and
 * the database must come from `--database-url` or `DATABASE_URL`.
 *
 * @throws MsaUsageError for an unknown service, or no way to tell which database is meant.
 */
export function platformInvocation(
  command: Extract<MsaCommand, { kind: 'platform' }>,
  env: NodeJS.ProcessEnv = process.env,
  known: readonly string[] = localServiceNames(),
): PlatformInvocation {
  if (command.service !== undefined) {
    return { args: command.args, env: platformCliEnvironment(serviceSettings(command.service, env, known)) };
  }
  const local = { KAFKA_BROKERS: localServers(env).kafkaBrokers.join(',') };
  const needsDatabase =
    command.args[0] !== 'groups' &&
    !command.args.some((arg) => HELP.has(arg) || arg === '--database-url' || arg.startsWith('--database-url=')) &&
    (env.DATABASE_URL ?? '') === '';
  if (needsDatabase) throw new MsaUsageError(`give --service <name> (the local platform runs ${known.join(', ')}), or --database-url`);
  return { args: command.args, env: local };
}
