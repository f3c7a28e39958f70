import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '@msa/local';
import { createDltProgram } from '../../src/cli/program.js';
import { eventually, unique, userCreated, userUpdated } from '../consumer/fixture.js';
import { TWO_QUICK_ATTEMPTS, useConsumerTestbed } from '../consumer/testbed.js';
import { createRecorder } from './recorder.js';
import { cliFor } from './run-cli.js';

describe('dlt command line', () => {
  const bed = useConsumerTestbed('cli_dlt');
  const group = unique('test-cli');
  const { broken, handled, handlers } = createRecorder('mailer down');
  const dana = randomUUID();
  const erin = randomUUID();
  let topic: string;

  const run = cliFor(bed);

  beforeAll(async () => {
    topic = await bed.createTopic('test.cli.dlt', 2);
    await bed.startRunner({ groupId: group, topics: [topic], handlers, retry: TWO_QUICK_ATTEMPTS });
    broken.add(dana);
    await bed.publish(topic, [userCreated(dana), userUpdated(dana, 2, 'Dana Cho'), userCreated(erin)], 1);
    await eventually(() => handled.includes(`${erin}:1`));
  });

  it('given a poisoned key, when listed, then each pending entry shows where it came from and why, and the key is parked', async () => {
    await eventually(async () => (await run('list', '--topic', topic, '--group', group)).out.includes('parked behind 0'));

    const { out, exitCode } = await run('list', '--topic', topic, '--group', group);

    expect(exitCode).toBe(0);
    expect(out).toContain(`${topic}.DLT for ${group}: 2 entries shown, 2 pending`);
    expect(out).toMatch(new RegExp(`1:0 +pending +failed +2 +${dana} +1:0 +RetriableError: mailer down`));
    expect(out).toMatch(new RegExp(`1:1 +pending +parked +0 +${dana} +1:1 +parked behind 0`));
    expect(out).toContain(`parked keys: 1\n  ${dana}: partition 1, behind offset 0, 2 dead-lettered`);
  }, 60_000);

  it('given an entry, when inspected, then its headers and pretty-printed value are shown', async () => {
    const { out } = await run('inspect', '--topic', topic, '--partition', '1', '--offset', '0');

    expect(out).toContain(`${topic}.DLT 1:0`);
    expect(out).toContain(`dlt-original-topic: ${topic}`);
    expect(out).toContain('dlt-error-message: mailer down');
    expect(out).toContain('"eventType": "UserCreated"');
  }, 60_000);

  it('given the dead letters, when replay runs without --execute, then it prints the plan and sends nothing', async () => {
    const { out, exitCode } = await run('replay', '--topic', topic, '--group', group);

    expect(exitCode).toBe(0);
    expect(out).toContain('would republish 2 entries of 1 keys');
    expect(out).toContain(`${dana} [partition 1, parked behind offset 0]: 1:0 (failed), 1:1 (parked)`);
    expect(out).toContain('dry run: nothing was sent');
    expect(handled.filter((entry) => entry.startsWith(dana))).toEqual([]);
  }, 60_000);

  it('given the cause still present, when replay runs with --execute, then the first copy fails again, the second follows it, the key stays parked and the exit code says so', async () => {
    const { out, exitCode } = await run('replay', '--topic', topic, '--group', group, '--execute', '--timeout', '30s');

    const listed = await run('list', '--topic', topic, '--group', group, '--all');

    expect(out).toContain(`${dana} [partition 1]: 2 republished, failed again`);
    expect(exitCode).toBe(1);
    expect(listed.out).toMatch(/1:0 +dead-lettered-again +failed/);
    expect(listed.out).toMatch(/1:1 +superseded +parked/);
    expect(listed.out).toMatch(/1:2 +pending +failed +2 .* RetriableError: mailer down/);
    expect(listed.out).toMatch(/1:3 +pending +parked +0 .* parked behind 0/);
  }, 60_000);

  it('given the cause fixed, when replay runs with --execute, then the key’s events are handled in order and it is un-parked', async () => {
    broken.delete(dana);

    const { out, exitCode } = await run('replay', '--topic', topic, '--group', group, '--execute', '--timeout', '30s');

    expect(out).toContain(`${dana} [partition 1]: 2 republished, handled in order; key un-parked`);
    expect(exitCode).toBe(0);
    expect(handled.filter((entry) => entry.startsWith(dana))).toEqual([`${dana}:1`, `${dana}:2`]);
    expect((await run('list', '--topic', topic, '--group', group)).out).toContain('0 pending\nparked keys: 0');
  }, 60_000);

  it('given a dead-letter topic, a missing setting or another database, when run, then it refuses and names the problem', async () => {
    const dlt = await run('list', '--topic', `${topic}.DLT`, '--group', group);
    const noDatabase = await createDltProgram({
      out: () => undefined,
      err: () => undefined,
      env: { KAFKA_BROKERS: 'localhost:1' },
      setExitCode: () => undefined,
    })
      .parseAsync(['node', 'dlt', 'list', '--topic', topic, '--group', group])
      .catch((error: unknown) => error);
    const empty = await createTestDatabase('cli_empty');
    const elsewhere = await run('list', '--topic', topic, '--group', group, '--database-url', empty.url).finally(() => empty.drop());

    expect(dlt.exitCode).toBe(1);
    expect(dlt.err).toContain('give the source topic');
    expect(noDatabase).toMatchObject({ message: expect.stringContaining('DATABASE_URL') as unknown });
    expect(elsewhere.err).toContain('this database has no consumer runner tables');
  }, 60_000);

  it('given a topic the cluster lacks or a database the server lacks, when listed, then it names the missing one at once', async () => {
    const nowhere = unique('test.cli.none');
    const noSuchDatabase = new URL(bed.database.url);
    noSuchDatabase.pathname = '/no_such_database';

    const noTopic = await run('list', '--topic', nowhere, '--group', group);
    const noDatabase = await run('list', '--topic', topic, '--group', group, '--database-url', noSuchDatabase.toString());

    expect(noTopic.exitCode).toBe(1);
    expect(noTopic.err).toContain(`the cluster has no topic ${nowhere}.DLT`);
    expect(noDatabase.exitCode).toBe(1);
    expect(noDatabase.err).toContain('database "no_such_database" does not exist: --database-url (or DATABASE_URL) names a database the server does not have');
  }, 30_000);
});
