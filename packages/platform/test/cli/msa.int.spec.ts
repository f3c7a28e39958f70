import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { consumerGroups, deadLetterTopicFor, topicsConsumedBy } from '@msa/contracts';
import { repoRoot } from '@msa/local';
import { eventually, unique, userCreated, userUpdated } from '../consumer/fixture.js';
import { TWO_QUICK_ATTEMPTS, useConsumerTestbed } from '../consumer/testbed.js';
import { createRecorder } from './recorder.js';
import type { CliRun } from './run-cli.js';

const execFileAsync = promisify(execFile);

// The command as npm links it, running what `tsc -b` built: the bin, msa and the platform's CLI.
const MSA = join(repoRoot, 'node_modules', '.bin', 'msa');
const BUILT = [join(repoRoot, 'local', 'dist', 'src', 'cli', 'msa.js'), join(repoRoot, 'packages', 'platform', 'dist', 'src', 'cli', 'dlt.js')];

/** Runs `msa` in a process of its own, on this Node, with `env` added to this process's environment. */
async function msa(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliRun> {
  const options = {
    // The bin's `#!/usr/bin/env node` finds the Node running these tests.
    env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8' as const,
    maxBuffer: 16 * 1024 * 1024,
  };
  try {
    const { stdout, stderr } = await execFileAsync(MSA, args, options);
    return { out: stdout, err: stderr, exitCode: 0 };
  } catch (error) {
    // execFile rejects a non-zero exit with what the process printed and its exit code.
    const failed = error as { stdout?: string; stderr?: string; code?: unknown };
    if (typeof failed.code !== 'number') throw error;
    return { out: failed.stdout ?? '', err: failed.stderr ?? '', exitCode: failed.code };
  }
}

describe('msa, the operator’s command line', () => {
  const bed = useConsumerTestbed('cli_msa');
  const group = unique('test-msa');
  const { broken, handled, handlers } = createRecorder('mailer down');
  const dana = randomUUID();
  let topic: string;
  let database: string[];

  beforeAll(async () => {
    const unbuilt = [MSA, ...BUILT].filter((path) => !existsSync(path));
    if (unbuilt.length > 0) throw new Error(`not built or not linked: ${unbuilt.join(', ')}; run npx tsc -b and npm install`);
    // The user service's settings, with the spec's own database in place of the service's.
    database = ['--service', 'user', '--database-url', bed.database.url];
    topic = await bed.createTopic('test.cli.msa', 1);
    await bed.startRunner({ groupId: group, topics: [topic], handlers, retry: TWO_QUICK_ATTEMPTS });
    broken.add(dana);
    await bed.publish(topic, [userCreated(dana), userUpdated(dana, 2, 'Dana Cho')]);
  });

  it('given the local platform, when services are listed, then each shows its database, its groups, their topics and DLTs', async () => {
    const { out, exitCode } = await msa(['services']);

    expect(exitCode).toBe(0);
    expect(out).toMatch(/^user: http:\/\/127\.0\.0\.1:\d+, database postgres:\/\/msa:msa@127\.0\.0\.1:\d+\/user,/m);
    expect(out).toContain(`  group user.read-model: ${consumerGroups['user.read-model'].purpose}`);
    for (const each of topicsConsumedBy('user.read-model')) {
      expect(out).toMatch(new RegExp(`\\n    ${each.replaceAll('.', '\\.')} +dead letters in ${deadLetterTopicFor(each).replaceAll('.', '\\.')}\\n`));
    }
  }, 30_000);

  it('given a service, when dead letters are listed, then the platform reads them from the local Kafka without a broker to type', async () => {
    await eventually(async () => (await msa(['dlt', 'list', ...database, '--topic', topic, '--group', group])).out.includes('2 pending'));

    const { out, exitCode } = await msa(['dlt', 'list', ...database, '--topic', topic, '--group', group]);

    expect(exitCode).toBe(0);
    expect(out).toContain(`${topic}.DLT for ${group}: 2 entries shown, 2 pending`);
    expect(out).toContain(`parked keys: 1\n  ${dana}: partition 0, behind offset 0, 2 dead-lettered`);
  }, 60_000);

  it('given the cause fixed, when a replay runs, then it shows its progress while it waits and ends with the key un-parked', async () => {
    broken.delete(dana);

    const { out, err, exitCode } = await msa(['dlt', 'replay', ...database, '--topic', topic, '--group', group, '--execute', '--timeout', '30s']);

    const progress = err.split('\n').filter((line) => line.includes('copies resolved'));
    expect(exitCode).toBe(0);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatch(/^replay [0-9a-f-]+: 2\/2 copies resolved, 1\/1 keys done$/);
    expect(out).toContain(`${dana} [partition 0]: 2 republished, handled in order; key un-parked`);
    expect(handled.filter((entry) => entry.startsWith(dana))).toEqual([`${dana}:1`, `${dana}:2`]);
  }, 60_000);

  it('given a service, when a command runs without --database-url, then it connects to that service’s database on the local server', async () => {
    // A port nothing listens on shows where the service's settings point without needing its database.
    const { err, exitCode } = await msa(['prune-inbox', '--service', 'user', '--skip-retention-check'], { MSA_POSTGRES_PORT: '1' });

    expect(exitCode).toBe(1);
    expect(err).toContain('127.0.0.1:1');
  }, 30_000);

  it('given an unknown service or none, when run, then it refuses naming the services the local platform runs', async () => {
    const unknown = await msa(['dlt', 'list', '--service', 'shop', '--topic', topic, '--group', group]);
    const none = await msa(['outbox', 'list'], { DATABASE_URL: '' });

    expect(unknown.exitCode).toBe(1);
    expect(unknown.err).toContain('msa: unknown service "shop": the local platform runs user, product, inventory, payment, order, notification');
    expect(none.exitCode).toBe(1);
    expect(none.err).toContain('msa: give --service <name> (the local platform runs user, product, inventory, payment, order, notification), or --database-url');
  }, 30_000);
});
