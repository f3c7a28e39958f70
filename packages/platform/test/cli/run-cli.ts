import { localServers } from '@msa/local';
import { createDltProgram } from '../../src/cli/program.js';
import type { ConsumerTestbed } from '../consumer/testbed.js';

/** What one run of the command line printed, and its exit code. */
export interface CliRun {
  readonly out: string;
  readonly err: string;
  readonly exitCode: number;
}

/**
 * Runs the `dlt` program in-process with `env` as its environment, as the shell would: a usage error
 * or a failed action exits 1, and an action's error message goes to stderr.
 */
export async function runCli(env: Readonly<Record<string, string | undefined>>, ...args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  let exitCode = 0;
  const program = createDltProgram({
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: { LOG_LEVEL: 'silent', ...env },
    setExitCode: (code) => {
      exitCode = code;
    },
  });
  try {
    await program.parseAsync(['node', 'dlt', ...args]);
  } catch (error) {
    exitCode = 1;
    // Commander printed its own usage errors already.
    if (!(error instanceof Error) || !error.name.startsWith('Commander')) err.push(String(error));
  }
  return { out: out.join('\n'), err: err.join('\n'), exitCode };
}

/** `runCli` with the local Kafka and the testbed's database, as an operator of its groups would run it. */
export function cliFor(bed: ConsumerTestbed): (...args: string[]) => Promise<CliRun> {
  return (...args) => runCli({ KAFKA_BROKERS: localServers().kafkaBrokers.join(','), DATABASE_URL: bed.database.url }, ...args);
}
