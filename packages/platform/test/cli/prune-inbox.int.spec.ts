import { ensureConsumerSchema } from '../../src/consumer/schema.js';
import { unique } from '../consumer/fixture.js';
import { useConsumerTestbed } from '../consumer/testbed.js';
import { cliFor, runCli } from './run-cli.js';

const DAY_MS = 86_400_000;

describe('dlt prune-inbox', () => {
  const bed = useConsumerTestbed('cli_prune_inbox');
  const reads = unique('test-prune-cli');
  const audit = unique('test-prune-cli-audit');
  const retired = unique('test-prune-cli-retired');
  // A topic deleted since its rows were handled: nothing of it can come back.
  const deleted = unique('test.prune.deleted');
  let shortLived: string;
  let longLived: string;

  const cli = cliFor(bed);
  const run = (...args: string[]) => cli('prune-inbox', ...args);

  async function seed(group: string, topic: string, rows: number, age: string): Promise<void> {
    await bed.database.pool.query(
      `insert into consumer_inbox (consumer_group, event_id, topic, partition, "offset", handled_at)
       select $1, gen_random_uuid(), $2, 0, n, now() - $3::interval from generate_series(1, $4) as n`,
      [group, topic, age, rows],
    );
  }

  async function counts(): Promise<Record<string, number>> {
    const { rows } = await bed.database.pool.query<{ consumer_group: string; rows: string }>(
      'select consumer_group, count(*) as rows from consumer_inbox group by consumer_group',
    );
    return Object.fromEntries(rows.map((row) => [row.consumer_group, Number(row.rows)]));
  }

  beforeAll(async () => {
    // Kept a day, and a day in the DLT; and 30 days in each, longer than the default six weeks allow.
    // Segments of a minute, so what Kafka may keep beyond the retention stays out of the figures.
    shortLived = await bed.createTopic('test.prune.short', 1, { 'retention.ms': String(DAY_MS), 'segment.ms': '60000' });
    longLived = await bed.createTopic('test.prune.long', 1, { 'retention.ms': String(30 * DAY_MS), 'segment.ms': '60000' });
    await ensureConsumerSchema(bed.database.pool);
    await seed(reads, shortLived, 25, '50 days');
    await seed(reads, shortLived, 5, '10 days');
    await seed(retired, deleted, 12, '60 days');
    await seed(audit, longLived, 8, '50 days');
  });

  it('given old rows of three groups, when run without --execute, then it counts what six weeks would delete, says which group must keep its rows and deletes nothing', async () => {
    const { out, exitCode } = await run();

    expect(exitCode).toBe(0);
    expect(out).toMatch(/^inbox rows handled before \S+ \(older than 42 days\):/);
    expect(out).toContain(`  ${reads}: 25 rows from ${shortLived}\n`);
    expect(out).toContain(`  ${retired}: 12 rows from ${deleted}\n`);
    expect(out).toContain(
      `  ${audit}: 8 rows from ${longLived}\n    kept: inbox retention 42 days must exceed each topic's retention plus its DLT's: ${longLived} keeps messages 30 days and its DLT 30 days`,
    );
    expect(out).toContain('dry run: nothing was deleted; add --execute to delete them, 1000 rows per statement');
    expect(await counts()).toEqual({ [reads]: 30, [retired]: 12, [audit]: 8 });
  });

  it('given a shorter retention and one group, when run with --execute, then only that group’s rows older than it go, in batches', async () => {
    const { out, exitCode } = await run('--group', reads, '--retention', '7d', '--batch-size', '10', '--execute');

    expect(exitCode).toBe(0);
    expect(out).toContain(`  ${reads}: 30 rows from ${shortLived}\n`);
    expect(out).not.toContain(retired);
    expect(out).toMatch(new RegExp(`  ${reads}: 30 rows handled before \\S+ deleted in 3 batches`));
    expect(await counts()).toEqual({ [retired]: 12, [audit]: 8 });
  });

  it('given no group, when run with --execute, then every group’s old rows go but those a topic could still bring back, and the exit code says so', async () => {
    const { out, exitCode } = await run('--execute');

    expect(exitCode).toBe(1);
    expect(out).toMatch(new RegExp(`  ${retired}: 12 rows handled before \\S+ deleted in 1 batch`));
    expect(out).toContain(`  ${audit}: kept, see above`);
    expect(await counts()).toEqual({ [audit]: 8 });
  });

  it('given --skip-retention-check and no Kafka setting, when run with --execute, then the rows go and the output says nothing was checked', async () => {
    const { out, exitCode } = await runCli({ DATABASE_URL: bed.database.url }, 'prune-inbox', '--skip-retention-check', '--execute');

    expect(exitCode).toBe(0);
    expect(out).toContain("the retention was not checked against the topics' (--skip-retention-check)");
    expect(out).toMatch(new RegExp(`  ${audit}: 8 rows handled before \\S+ deleted in 1 batch`));
    expect(await counts()).toEqual({});
  });
});
