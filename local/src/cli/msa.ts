/**
 * `msa`: the platform's operator tools (dead letters, the outbox, inbox pruning, read-model rebuilds)
 * with the local platform's settings filled in; `npx msa --help`. The platform's own command line and
 * the services' entries do the work, each in a process of its own, as they would in a cluster.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { repoRoot } from '../config.js';
import { parseMsaArgs, platformInvocation, USAGE, type MsaCommand } from './msa-args.js';
import { formatServices, humanLogLine, parseCatalogGroups } from './msa-output.js';
import { localServiceNames, MsaUsageError, serviceCommandEnvironment, serviceSettings } from './msa-settings.js';

const execFileAsync = promisify(execFile);

const PLATFORM_CLI = join(repoRoot, 'packages', 'platform', 'dist', 'src', 'cli', 'dlt.js');
// What a service's entry takes to rebuild its read models instead of serving: the platform's
// REBUILD_COMMAND, which this package cannot import (the platform depends on it).
const REBUILD_COMMAND = 'rebuild-read-model';

async function main(argv: readonly string[]): Promise<number> {
  const command = parseMsaArgs(argv);
  switch (command.kind) {
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case 'services':
      return services(command.json);
    case 'platform': {
      const invocation = platformInvocation(command);
      return run(built(PLATFORM_CLI), invocation.args, invocation.env, 'inherit');
    }
    case 'rebuild':
      return rebuild(command);
    default:
      return command satisfies never;
  }
}

async function services(json: boolean): Promise<number> {
  const settings = localServiceNames().map((name) => serviceSettings(name));
  const groups = parseCatalogGroups(await capture(built(PLATFORM_CLI), ['groups', '--json']));
  if (json) {
    const entries = settings.map((service) => ({ ...service, groups: groups.filter((group) => group.service === service.name) }));
    process.stdout.write(`${JSON.stringify({ services: entries }, null, 2)}\n`);
  } else {
    process.stdout.write(`${formatServices(settings, groups).join('\n')}\n`);
  }
  return 0;
}

function rebuild(command: Extract<MsaCommand, { kind: 'rebuild' }>): Promise<number> {
  const settings = serviceSettings(command.service);
  const entry = built(join(repoRoot, 'services', settings.name, 'dist', 'src', 'main.js'));
  const env = {
    ...serviceCommandEnvironment(settings),
    ...(command.databaseUrl === undefined ? {} : { DATABASE_URL: command.databaseUrl }),
  };
  const args = [REBUILD_COMMAND, ...(command.readModel === undefined ? [] : [command.readModel])];
  // Its progress lines pass as they are; its log lines, on either stream, are made readable.
  return run(entry, args, env, humanLogLine);
}

/** `path` if it has been built. @throws MsaUsageError saying how to build it. */
function built(path: string): string {
  if (!existsSync(path)) throw new MsaUsageError(`${relative(repoRoot, path)} is not built: run npm run build`);
  return path;
}

/**
 * Runs `script` on this Node with `env` added to the environment; each line of its stdout and stderr
 * passes through `lines` to ours, or straight with `inherit`. Resolves to its exit code. Ctrl-C reaches
 * it through the terminal, and a signal sent to `msa` alone is passed on, so it always ends cleanly.
 */
function run(
  script: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  lines: 'inherit' | ((line: string) => string),
): Promise<number> {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, ...env },
    stdio: lines === 'inherit' ? 'inherit' : ['inherit', 'pipe', 'pipe'],
  });
  if (lines !== 'inherit') {
    for (const [from, to] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ] as const) {
      if (from === null) continue;
      createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => {
        to.write(`${lines(line)}\n`);
      });
    }
  }
  const forward = (signal: NodeJS.Signals) => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? 1);
    });
  });
}

/** Runs `script` and resolves to what it printed; rejects with its stderr if it fails. */
async function capture(script: string, args: readonly string[]): Promise<string> {
  try {
    return (await execFileAsync(process.execPath, [script, ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (error) {
    const stderr = typeof error === 'object' && error !== null && 'stderr' in error ? String(error.stderr).trim() : String(error);
    throw new Error(`${relative(repoRoot, script)} ${args.join(' ')} failed: ${stderr}`, { cause: error });
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const usage = error instanceof MsaUsageError ? '\n(msa --help lists the commands)' : '';
  process.stderr.write(`msa: ${error instanceof Error ? error.message : String(error)}${usage}\n`);
  process.exitCode = 1;
}
